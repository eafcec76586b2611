// A real WebSocket chat client for tests: records every frame, waits for the ones it needs.
import type { ServerFrame, Snapshot } from "../../lib/protocol.ts";
import type { Client } from "./client.ts";
import { waitUntil } from "./wait.ts";

export type ChatSocket = Awaited<ReturnType<typeof openChat>>;

export async function openChat(
  origin: string,
  client: Client,
  options: { after?: number; originHeader?: string | null; waitForSnapshot?: boolean } = {},
) {
  const url = `${origin.replace("http", "ws")}/ws${
    options.after !== undefined ? `?after=${options.after}` : ""
  }`;
  const headers: Record<string, string> = { Cookie: client.cookieHeader };
  if (options.originHeader !== null) headers.Origin = options.originHeader ?? origin;
  // deno-lint-ignore no-explicit-any
  const socket = new WebSocket(url, { headers } as any);
  const frames: ServerFrame[] = [];
  const closed = new Promise<CloseEvent>((done) => socket.addEventListener("close", done));
  socket.addEventListener("message", (event) => frames.push(JSON.parse(event.data)));
  socket.addEventListener("error", () => {});

  /** The first frame, from index `from` on, that matches. */
  function waitFor<T extends ServerFrame>(
    predicate: (frame: ServerFrame) => frame is T,
    timeoutMs?: number,
    from?: number,
  ): Promise<T>;
  function waitFor(
    predicate: (frame: ServerFrame) => boolean,
    timeoutMs?: number,
    from?: number,
  ): Promise<ServerFrame>;
  function waitFor(
    predicate: (frame: ServerFrame) => boolean,
    timeoutMs = 5000,
    from = 0,
  ): Promise<ServerFrame> {
    let seen = from;
    return waitUntil(() => {
      for (; seen < frames.length; seen++) if (predicate(frames[seen])) return frames[seen];
      if (socket.readyState === WebSocket.CLOSED) {
        throw new Error(
          `socket closed while waiting; frames: ${JSON.stringify(frames).slice(-500)}`,
        );
      }
    }, { timeoutMs, what: "a frame", seen: () => JSON.stringify(frames.slice(-5)) });
  }

  const chat = {
    socket,
    frames,
    closed,
    waitFor,
    /** Frames of one type received so far. */
    all<K extends ServerFrame["type"]>(type: K) {
      return frames.filter((f): f is Extract<ServerFrame, { type: K }> => f.type === type);
    },
    snapshot: undefined as unknown as Snapshot,
    raw: (data: string | ArrayBufferLike | Uint8Array) => socket.send(data as string),
    send: (frame: object) => socket.send(JSON.stringify(frame)),
    /** Sends a message and resolves with its acknowledgement (or error frame). */
    async say(conversationId: number, text: string, clientId: string = crypto.randomUUID()) {
      const from = frames.length; // a retry must not find the answer to an earlier try
      socket.send(JSON.stringify({ type: "send", clientId, conversationId, text }));
      return await waitFor(
        (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
        5000,
        from,
      ) as
        | Extract<ServerFrame, { type: "ack" }>
        | Extract<ServerFrame, { type: "error" }>;
    },
    async close() {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) {
        socket.close(1000);
      }
      await closed;
    },
    async [Symbol.asyncDispose]() {
      await chat.close();
    },
  };
  if (options.waitForSnapshot !== false) {
    const opened = await Promise.race([
      chat.waitFor((f) => f.type === "caught_up").then(() => true),
      closed.then(() => false),
    ]);
    if (!opened) throw new Error("the socket closed before its snapshot");
    chat.snapshot = (frames.find((f) =>
      f.type === "snapshot"
    ) as Extract<ServerFrame, { type: "snapshot" }>).snapshot;
  }
  return chat;
}

/** Makes two registered clients friends through the API. */
export async function befriend(a: Client, aName: string, b: Client, bName: string) {
  const asked = await a.post("/api/friends/requests", { username: bName });
  if (asked.status !== 201) throw new Error(`request: ${asked.status} ${await asked.text()}`);
  await asked.body?.cancel();
  const accepted = await b.post(`/api/friends/requests/${aName}/accept`);
  if (accepted.status !== 200) {
    throw new Error(`accept: ${accepted.status} ${await accepted.text()}`);
  }
  await accepted.body?.cancel();
}

export async function openDirect(client: Client, friend: string): Promise<number> {
  const response = await client.post("/api/conversations", { with: friend });
  if (response.status !== 200) {
    throw new Error(`open direct: ${response.status} ${await response.text()}`);
  }
  return (await response.json()).conversation.id;
}
