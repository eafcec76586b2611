export function Home(props: { username: string }) {
  return (
    <main class="narrow">
      <h1>Hello, {props.username}</h1>
      <p>You are logged in to UgoChat.</p>
      <form method="post" action="/logout">
        <button type="submit">Log out</button>
      </form>
    </main>
  );
}
