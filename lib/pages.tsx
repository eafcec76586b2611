// Renders a whole HTML page: the server's first paint plus, only when islands
// were rendered, the props block and the client bundle.
import type { VNode } from "preact";
import { Layout } from "../components/Layout.tsx";
import { assetUrl } from "./assets.ts";
import { islandScripts, renderWithIslands } from "./islands.tsx";

export const BUNDLE_PATH = "build/islands.js";

export async function renderPage(title: string, body: VNode): Promise<string> {
  const stylesheet = await assetUrl("app.css");
  const { html, islandProps } = renderWithIslands(
    <Layout title={title} stylesheet={stylesheet}>{body}</Layout>,
  );
  const scripts = islandProps.length ? islandScripts(islandProps, await assetUrl(BUNDLE_PATH)) : "";
  const end = html.lastIndexOf("</body>");
  return `<!DOCTYPE html>${html.slice(0, end)}${scripts}${html.slice(end)}`;
}
