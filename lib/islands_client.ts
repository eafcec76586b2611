// The client half of the islands layer: reads the props block and revives each marker.
import { h, hydrate } from "preact";
import type { Island } from "./islands.tsx";
import { PROPS_ELEMENT_ID } from "./islands.tsx";

// deno-lint-ignore no-explicit-any
export function boot(islands: Island<any>[]): void {
  const byName = new Map(islands.map((island) => [island.islandName, island.component]));
  const block = document.getElementById(PROPS_ELEMENT_ID);
  const allProps: unknown[] = block ? JSON.parse(block.textContent ?? "[]") : [];
  for (const marker of document.querySelectorAll<HTMLElement>("ugo-island")) {
    const name = marker.dataset.name ?? "";
    const component = byName.get(name);
    const serverRendered = [...marker.childNodes].map((node) => node.cloneNode(true));
    try {
      if (!component) throw new Error(`no island named ${JSON.stringify(name)} in this bundle`);
      const props = allProps[Number(marker.dataset.props)] as Record<string, unknown>;
      hydrate(h(component, props), marker);
    } catch (error) {
      // One broken island must not take the page down with it: it keeps its server HTML.
      console.error(`island ${name} failed to start`, error);
      marker.replaceChildren(...serverRendered);
    }
  }
}
