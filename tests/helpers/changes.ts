// Changes to messages as a test writes them on a fake socket: each resolves with its answer.
import assert from "node:assert/strict";
import type { ServerFrame } from "../../lib/wire.ts";
import type { FakeSocket } from "./harness.ts";

type Reply = Extract<ServerFrame, { type: "ack" | "error" }>;

/** Writes a change frame and resolves with its ack or error. */
export function change(
  socket: FakeSocket,
  frame:
    | { type: "edit"; messageId: number; text: string }
    | { type: "delete"; messageId: number }
    | { type: "react"; messageId: number; emoji: string; on: boolean },
  clientId: string = crypto.randomUUID(),
): Promise<Reply> {
  const from = socket.frames.length;
  socket.write({ ...frame, clientId });
  return socket.waitFor(
    (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
    from,
  ) as Promise<Reply>;
}

export async function sent(socket: FakeSocket, conversationId: number, text: string) {
  const ack = await socket.say(conversationId, text);
  assert.ok(ack.type === "ack", JSON.stringify(ack));
  return ack;
}
