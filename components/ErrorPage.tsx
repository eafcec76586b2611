export function ErrorPage(props: { status: number; message: string }) {
  return (
    <main class="narrow">
      <h1>{props.status === 404 ? "Not found" : `Error ${props.status}`}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to UgoChat</a>
      </p>
    </main>
  );
}
