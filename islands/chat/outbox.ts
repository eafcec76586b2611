// Messages on their way: sent at once, kept in the browser until the server has stored them
// (a reload re-sends them with the same clientId, so each is stored exactly once), paced when
// the server says "too fast", and offered again, all at once, when it refused them.
import { effect } from "@preact/signals";
import type { ClientFrame } from "../../lib/protocol.ts";
import type { QuoteView } from "../../lib/wire.ts";
import { isStandIn } from "./direct.ts";
import { savedOutbox, saveOutboxChange } from "./saved.ts";
import { type ChatState, type PendingMessage, setStatus } from "./state.ts";

const FIRST_PAUSE_MS = 1_000;
const LONGEST_PAUSE_MS = 5_000; // the server counts sends over 10 s, so a slot frees within that

export function createOutbox(state: ChatState, transmit: (frame: ClientFrame) => boolean) {
  let pauseMs = FIRST_PAUSE_MS;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;

  function sendPending(p: PendingMessage) {
    const { clientId, conversationId, text, replyTo } = p;
    if (isStandIn(conversationId)) return; // sent once the server has named its conversation
    transmit({
      type: "send",
      clientId,
      conversationId,
      text,
      ...(replyTo ? { replyTo: replyTo.id } : {}),
    });
  }

  const update = (change: (list: PendingMessage[]) => PendingMessage[]) =>
    state.pending.value = change(state.pending.value);

  return {
    sendPending,

    /** Takes in what earlier pages of this account left unsent, and keeps the store in step. */
    restore(userId: number) {
      const known = new Set(state.pending.value.map((p) => p.clientId));
      update((list) => [...savedOutbox(userId).filter((p) => !known.has(p.clientId)), ...list]);
      let before: PendingMessage[] = [];
      effect(() => {
        const after = state.pending.value;
        saveOutboxChange(userId, before, after);
        before = after;
      });
    },

    send(conversationId: number, text: string, replyTo?: QuoteView) {
      // While sends are paced, a new one queues behind the waiting ones, keeping their order.
      const paced = state.pending.value.some((p) => p.status === "waiting");
      const p: PendingMessage = {
        clientId: crypto.randomUUID(),
        conversationId,
        text,
        ...(replyTo ? { replyTo } : {}),
        status: paced ? "waiting" : "sending",
      };
      update((list) => [...list, p]);
      if (!paced) sendPending(p); // if the socket is down, it goes out on reconnect
    },

    /** Waits before sending again: as long as the server asked, else a pause that doubles. */
    pace(afterMs?: number) {
      if (pauseTimer !== undefined) return;
      pauseTimer = setTimeout(() => {
        pauseTimer = undefined;
        this.drain();
      }, afterMs ?? pauseMs);
      if (afterMs === undefined) pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
    },

    /** Sends the first waiting message; its ack sends the next, its refusal pauses again. */
    drain() {
      if (pauseTimer !== undefined) return;
      const next = state.pending.value.find((p) => p.status === "waiting");
      if (!next) return void (pauseMs = FIRST_PAUSE_MS);
      if (state.pending.value.some((p) => p.status === "sending")) return; // one at a time
      update((list) => setStatus(list, next.clientId, "sending"));
      sendPending(next);
    },

    retryAll(conversationId: number) {
      const failed = state.pending.value.filter((p) =>
        p.status === "failed" && p.conversationId === conversationId
      );
      for (const p of failed) update((list) => setStatus(list, p.clientId, "sending"));
      failed.forEach(sendPending);
    },

    discardFailed(conversationId: number) {
      update((list) =>
        list.filter((p) => !(p.status === "failed" && p.conversationId === conversationId))
      );
    },
  };
}
