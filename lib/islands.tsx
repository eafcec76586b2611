// Our islands layer (Fresh's idea, in our code). While a page renders, each
// island records its props and renders inside a <ugo-island> marker; the page
// then carries all props in one escaped JSON block and one module script, which
// revives each marker on the client. Pages without islands ship no JavaScript.
import { type ComponentType, createContext, type VNode } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";

export type Island<P> = ComponentType<P> & { islandName: string; component: ComponentType<P> };

type Recorder = { props: unknown[]; inside: boolean };
const RecorderContext = createContext<Recorder | null>(null);

/** Declares an island: the same component, marked for revival on the client when rendered on the server. */
export function island<P extends object>(name: string, component: ComponentType<P>): Island<P> {
  const Component = component as ComponentType<P>;
  function IslandMarker(props: P) {
    const recorder = useContext(RecorderContext);
    // On the client, and for an island inside an island, render plainly: the outer marker revives both.
    if (!recorder || recorder.inside) return <Component {...props} />;
    assertPlainJson(name, props);
    const index = recorder.props.push(props) - 1;
    return (
      <ugo-island data-name={name} data-props={String(index)}>
        <RecorderContext.Provider value={{ props: recorder.props, inside: true }}>
          <Component {...props} />
        </RecorderContext.Provider>
      </ugo-island>
    );
  }
  return Object.assign(IslandMarker, { islandName: name, component: Component });
}

function assertPlainJson(name: string, props: unknown) {
  const roundTrip = JSON.stringify(props, (_key, value) => {
    if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
      throw new TypeError(`Island ${name}: props must be plain JSON (found a ${typeof value})`);
    }
    if (value && typeof value === "object" && "type" in value && "props" in value) {
      throw new TypeError(`Island ${name}: props must be plain JSON (found a JSX element)`);
    }
    return value;
  });
  if (roundTrip === undefined) throw new TypeError(`Island ${name}: props must be plain JSON`);
}

/** JSON that is safe inside a <script> element: no "<" can close it or open a comment. */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

export const PROPS_ELEMENT_ID = "ugo-island-props";

/** Renders a tree and reports the props of the islands it met, in marker order. */
export function renderWithIslands(tree: VNode): { html: string; islandProps: unknown[] } {
  const recorder: Recorder = { props: [], inside: false };
  const html = renderToString(
    <RecorderContext.Provider value={recorder}>{tree}</RecorderContext.Provider>,
  );
  return { html, islandProps: recorder.props };
}

/** The tags a page with islands ends with; empty for a page without. */
export function islandScripts(islandProps: unknown[], bundleUrl: string): string {
  if (islandProps.length === 0) return "";
  return `<script type="application/json" id="${PROPS_ELEMENT_ID}">${
    scriptSafeJson(islandProps)
  }</script><script type="module" src="${bundleUrl}"></script>`;
}

declare module "preact" {
  namespace JSX {
    interface IntrinsicElements {
      "ugo-island": JSX.HTMLAttributes<HTMLElement> & { "data-name": string; "data-props": string };
    }
  }
}
