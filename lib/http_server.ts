// Serves the Hono app on node:http. Ordinary requests go through @hono/node-server's listener;
// upgrade requests go through the app too, with their raw connection in `c.env.upgrade`, so that
// a route can check them like any request and then take the connection over (routes/ws.ts).
import { getRequestListener } from "@hono/node-server";
import type { Context } from "hono";
import { Buffer } from "node:buffer";
import { createServer, type IncomingMessage, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";

/** An upgrade request and its connection. A route that sets `taken` answers on it itself. */
export type Upgrade = { incoming: IncomingMessage; socket: Duplex; head: Buffer; taken: boolean };

/** What the app sees in `c.env`: the request, and for an upgrade its connection. */
type NodeBindings = { incoming: IncomingMessage; upgrade?: Upgrade };

type Fetch = (request: Request, env: NodeBindings) => Response | Promise<Response>;

/** The connection of an upgrade request; none for others, or in app.request(). */
export function upgradeOf(c: Context): Upgrade | undefined {
  return (c.env as NodeBindings | undefined)?.upgrade;
}

// Hop-by-hop headers: ours to set on a connection we close after one answer.
const HOP_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade"]);

export type HttpServer = {
  address: AddressInfo;
  /** Stops accepting; resolves once every HTTP connection has ended (not upgraded ones). */
  close(): Promise<void>;
  /** Ends the HTTP connections still open (after the grace period). */
  closeAllConnections(): void;
};

export async function serveHttp(
  fetch: Fetch,
  options: { hostname: string; port: number },
): Promise<HttpServer> {
  const server = createServer(
    getRequestListener((request, env) => fetch(request, env as NodeBindings)),
  );
  server.on("upgrade", (incoming: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => {}); // a peer that resets mid-handshake is not our error
    upgradeThroughApp(fetch, incoming, socket, head);
  });
  const closed = Promise.withResolvers<void>();
  server.on("close", () => closed.resolve());
  await new Promise<void>((listening, fail) => {
    server.once("error", fail);
    server.listen(options.port, options.hostname, () => {
      server.off("error", fail);
      listening();
    });
  });
  return {
    address: server.address() as AddressInfo,
    close() {
      server.close();
      server.closeIdleConnections(); // keep-alive connections between requests
      return closed.promise;
    },
    closeAllConnections: () => server.closeAllConnections(),
  };
}

async function upgradeThroughApp(
  fetch: Fetch,
  incoming: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const upgrade: Upgrade = { incoming, socket, head, taken: false };
  let response: Response;
  try {
    response = await fetch(upgradeRequest(incoming), { incoming, upgrade });
  } catch {
    response = new Response(null, { status: 400 }); // e.g. a Host that makes no URL
  }
  if (!upgrade.taken) await writeResponse(socket, response);
}

function upgradeRequest(incoming: IncomingMessage): Request {
  const headers = new Headers();
  const raw = incoming.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  return new Request(`http://${incoming.headers.host ?? "localhost"}${incoming.url ?? "/"}`, {
    method: incoming.method,
    headers,
  });
}

/** Writes the app's answer onto a connection that asked to upgrade, and ends it. */
async function writeResponse(socket: Duplex, response: Response): Promise<void> {
  const body = Buffer.from(await response.arrayBuffer());
  if (socket.destroyed) return;
  const lines = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ""}`];
  response.headers.forEach((value, name) => {
    if (!HOP_HEADERS.has(name) && name !== "content-length") lines.push(`${name}: ${value}`);
  });
  lines.push(`Content-Length: ${body.length}`, "Connection: close");
  socket.end(Buffer.concat([Buffer.from(lines.join("\r\n") + "\r\n\r\n"), body]));
}
