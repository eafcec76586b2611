// One handler per client frame type. A handler gets the session's context and the parsed
// frame, and returns its reply (or nothing); refusals are thrown as AppError. The mapped type
// makes a frame type without a handler a type error.
import type { Conversations } from "../conversations.ts";
import type { MessageChanges } from "../message_changes.ts";
import type { Messages } from "../messages.ts";
import type { Presence } from "../presence.ts";
import type { ClientFrame } from "../protocol.ts";
import type { User } from "../store/types.ts";
import type { ServerFrame } from "../wire.ts";
import type { Events } from "./broker.ts";

export type SessionContext = {
  user: User;
  /**
   * Writes a frame to this socket (a reply may come before the handler returns), sharing one
   * write with the socket's other frames of this turn of the event loop.
   */
  reply(frame: ServerFrame): void;
  /**
   * Work on this frame that goes on after its handler returned (a send waiting for its commit
   * while the next frames are handled): its reply is written, or its failure sent as the
   * frame's error, when it settles. The session bounds how much of it a socket may have.
   */
  finishing(frame: ClientFrame, work: Promise<Reply>): void;
};

type FrameOf<T extends ClientFrame["type"]> = Extract<ClientFrame, { type: T }>;
type Reply = ServerFrame | void;
export type Handlers = {
  [T in ClientFrame["type"]]: (ctx: SessionContext, frame: FrameOf<T>) => Reply | Promise<Reply>;
};

export function createHandlers(deps: {
  messages: Messages;
  messageChanges: MessageChanges;
  conversations: Conversations;
  presence: Presence;
  events: Events;
}): Handlers {
  const { messages, messageChanges, conversations, presence, events } = deps;
  return {
    // The next frame is handled once this message is queued for its commit, not committed: a
    // burst from one socket shares commits (the store keeps their order). The ack shares its
    // write with the message frame that follows it to the same socket.
    send: (ctx, frame) => {
      const queued = Promise.withResolvers<void>();
      ctx.finishing(
        frame,
        messages.send(ctx.user, frame, ctx.reply, queued.resolve).finally(queued.resolve),
      );
      return queued.promise;
    },
    edit: (ctx, frame) => messageChanges.edit(ctx.user, frame, ctx.reply),
    delete: (ctx, frame) => messageChanges.remove(ctx.user, frame, ctx.reply),
    react: (ctx, frame) => messageChanges.react(ctx.user, frame, ctx.reply),
    read: (ctx, frame) => conversations.markRead(ctx.user, frame.conversationId, frame.messageId),
    typing: (ctx, frame) => conversations.typing(ctx.user, frame.conversationId, frame.stopped),
    set_status: async (ctx, frame) => {
      await presence.setAppearOffline(ctx.user.id, frame.appearOffline);
      events.toUser(ctx.user.id, { type: "status", appearOffline: frame.appearOffline });
    },
    set_receipts: (ctx, frame) => conversations.setSendReceipts(ctx.user, frame.sendReceipts),
    ping: () => ({ type: "pong" }),
  };
}
