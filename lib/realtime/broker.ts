// The broker carries events between processes. A process publishes an envelope on a topic;
// every process (itself included) hears it and hands it to its hub, which knows the sockets.
// broker_memory.ts is the one-process implementation.
import { encodeFrame } from "../protocol.ts";
import type { ServerFrame } from "../wire.ts";

/**
 * `user:42`: every socket of user 42; `conversation:7`: the sockets of room 7's members (the
 * hubs know which: see `membership`); `everyone`: every socket (the Lobby).
 */
export type Topic = `user:${number}` | `conversation:${number}` | "everyone";

export type Envelope =
  | {
    topic: Topic;
    /** An encoded ServerFrame, the same string for every recipient. */
    frame: string;
    /** The event's seq, when it is on the event sequence: a socket skips what it already has. */
    seq?: number;
    /** Users who must not receive it (those who blocked the sender, say). */
    except?: readonly number[];
    /**
     * The only users who may receive it, of the topic's (those a message mentions, say): a
     * room's frame still reaches only sockets in the room.
     */
    only?: readonly number[];
    /**
     * The topic's sockets start (joined) or stop receiving `conversation:<id>`, before this
     * frame is written to them: a user who joined a room, or left it.
     */
    membership?: { conversationId: number; joined: boolean };
  }
  | {
    topic: "everyone";
    /** A change to what every process keeps in memory, for each to apply (it is not a frame). */
    sync: Sync;
  }
  | {
    topic: Topic;
    /** Close the sockets opened by these sessions (hex token hashes): logout, password change. */
    closeSessions: readonly string[];
    code: number;
    reason: string;
  };

export type Broker = {
  /**
   * Hands the envelope to every process's listeners, this one's at once (before it returns),
   * each in this publisher's order. Never throws: what cannot travel (the link between
   * processes is down) is dropped, and the others learn it through onInterrupted.
   */
  publish(envelope: Envelope): void;
  /** Listens to every envelope; returns the way to stop. */
  onEnvelope(listener: (envelope: Envelope) => void): () => void;
  /**
   * Listens for the moments when envelopes of other processes may have been lost (the link
   * to them broke and is back, or a publisher dropped some while cut off): listeners should
   * then treat what they hold as stale. Fired after the link is back, so nothing published
   * from then on is missed. A broker that cannot lose envelopes (memory) never fires it.
   */
  onInterrupted?(listener: () => void): () => void;
  /** Whether it reaches the other processes now (for /healthz); one process's always does. */
  ready?(): boolean;
  close(): Promise<void>;
};

/** What processes keep in memory and must change together (lib/services.ts applies it). */
export type Sync =
  | { kind: "blocked" | "unblocked"; blocker: number; blocked: number }
  | { kind: "friendship_ended"; a: number; b: number };

export const userTopic = (userId: number): Topic => `user:${userId}`;
export const conversationTopic = (conversationId: number): Topic =>
  `conversation:${conversationId}`;

/** What the domain modules publish with: typed frames, each encoded once. */
export function createEvents(broker: Broker) {
  return {
    toUser(userId: number, frame: ServerFrame): void {
      broker.publish({ topic: userTopic(userId), frame: encodeFrame(frame) });
    },
    toUsers(userIds: readonly number[], frame: ServerFrame, seq?: number): void {
      const encoded = encodeFrame(frame);
      for (const userId of userIds) {
        broker.publish({ topic: userTopic(userId), frame: encoded, seq });
      }
    },
    /** To every socket of a room's members, on every process. */
    toConversation(
      conversationId: number,
      frame: ServerFrame,
      seq?: number,
      except?: readonly number[],
      only?: readonly number[],
    ): void {
      const topic = conversationTopic(conversationId);
      broker.publish({ topic, frame: encodeFrame(frame), seq, except, only });
    },
    /**
     * The user joined (or left) a room: every socket of theirs, on every process, starts (or
     * stops) receiving the room before this frame reaches it.
     */
    membership(userId: number, conversationId: number, joined: boolean, frame: ServerFrame): void {
      broker.publish({
        topic: userTopic(userId),
        frame: encodeFrame(frame),
        membership: { conversationId, joined },
      });
    },
    toEveryone(frame: ServerFrame, seq?: number, except?: readonly number[]): void {
      broker.publish({ topic: "everyone", frame: encodeFrame(frame), seq, except });
    },
    /** Every process (this one too, at once) applies the change to what it keeps in memory. */
    sync(change: Sync): void {
      broker.publish({ topic: "everyone", sync: change });
    },
    /** Sessions are named by token hash only, so every process looks for their sockets. */
    closeSessions(sessionKeys: readonly string[], code: number, reason: string): void {
      broker.publish({ topic: "everyone", closeSessions: sessionKeys, code, reason });
    },
  };
}

export type Events = ReturnType<typeof createEvents>;
