// The chat socket's wire protocol: every frame in both directions, as zod schemas.
// Imported by the server (validation at the socket edge) and by the islands (types).
// docs/protocol.md explains it for people writing other clients and bots.
import { z } from "zod";

import { MAX_FRAME_BYTES, type ServerFrame } from "./wire.ts";

export * from "./wire.ts";

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

// ---- client → server ----

export const clientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("send"),
    clientId: z.uuid(),
    conversationId: id,
    text: z.string().max(MAX_FRAME_BYTES),
    /** The message this one replies to, in the same conversation. */
    replyTo: id.optional(),
  }),
  z.object({
    type: z.literal("edit"),
    clientId: z.uuid(),
    messageId: id,
    text: z.string().max(MAX_FRAME_BYTES),
  }),
  z.object({ type: z.literal("delete"), clientId: z.uuid(), messageId: id }),
  z.object({
    type: z.literal("react"),
    clientId: z.uuid(),
    messageId: id,
    emoji: z.string().max(64),
    on: z.boolean(),
  }),
  z.object({ type: z.literal("read"), conversationId: id, messageId: id }),
  z.object({ type: z.literal("typing"), conversationId: id, stopped: z.literal(true).optional() }),
  z.object({ type: z.literal("set_status"), appearOffline: z.boolean() }),
  z.object({ type: z.literal("set_receipts"), sendReceipts: z.boolean() }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

/**
 * The one way a server frame becomes text. Callers encode an event once and hand the same
 * string to every recipient.
 */
export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
