// The in-process harness: the real services on this run's backend (a temp SQLite file and the
// memory broker by default: tests/helpers/backend.ts), and fake sockets that record every
// frame. Domain sentences run here in milliseconds, without HTTP; the real-server suites stay
// where the edge is the subject.
import { openBackends, type OpenedBackends } from "../../lib/backends.ts";
import { loadConfig } from "../../lib/config.ts";
import { createLogger } from "../../lib/log.ts";
import type { ClientFrame } from "../../lib/protocol.ts";
import { type ServerSocket, startSocketSession } from "../../lib/realtime/socket_session.ts";
import { createServices, type Services } from "../../lib/services.ts";
import type { User } from "../../lib/store/types.ts";
import type { ServerFrame, Snapshot } from "../../lib/wire.ts";
import { backendEnv } from "./backend.ts";
import { waitUntil } from "./wait.ts";

export type Harness = {
  services: Services;
  lines: string[];
  /** Where this harness keeps its data (its SQLite file, on the embedded backend). */
  dataDir: string;
  /** Registers people by name (straight through the store: no password hashing). */
  people<const N extends string>(...names: N[]): Promise<Record<N, Person>>;
  [Symbol.asyncDispose](): Promise<void>;
};

/** With `keep`, the data dir outlives the harness (the test removes it). */
export async function startHarness(
  env: Record<string, string> = {},
  keep = false,
): Promise<Harness> {
  const dataDir = await Deno.makeTempDir({ prefix: "ugochat-harness-" });
  const config = loadConfig({
    PRESENCE_GRACE_MS: "0",
    ...await backendEnv(dataDir),
    ...env,
    DATA_DIR: dataDir,
  });
  const lines: string[] = [];
  const log = createLogger("debug", (line) => lines.push(line));
  const backends: OpenedBackends = await openBackends(config, log);
  const services = await createServices(config, backends, log);
  const sockets: FakeSocket[] = [];
  const harness: Harness = {
    services,
    lines,
    dataDir,
    async people(...names) {
      const found = {} as Record<(typeof names)[number], Person>;
      for (const name of names) {
        const user = await services.store.users.create(name, "not a real hash", Date.now());
        if (!user) throw new Error(`${name} is taken`);
        found[name] = person(services, user, sockets);
      }
      return found;
    },
    async [Symbol.asyncDispose]() {
      services.stop("harness done");
      for (const socket of sockets) socket.close(1001, "harness done");
      await backends.close();
      if (!keep) await Deno.remove(dataDir, { recursive: true });
    },
  };
  return harness;
}

export type Person = ReturnType<typeof person>;

function person(services: Services, user: User, sockets: FakeSocket[]) {
  const me = {
    ...user,
    user,
    /** Opens a socket session; its handshake is still running when this returns. */
    open(options: { after?: number } = {}): FakeSocket {
      const socket = new FakeSocket();
      sockets.push(socket);
      startSocketSession(services.socketSession, socket, {
        user,
        sessionKey: crypto.randomUUID(),
        after: options.after ?? null,
        release: () => {},
      });
      socket.open();
      return socket;
    },
    /** Opens a socket session and waits until it is live. */
    async connect(options: { after?: number } = {}): Promise<FakeSocket> {
      const socket = me.open(options);
      await socket.waitFor((f) => f.type === "caught_up");
      return socket;
    },
    async befriend(other: { user: User }): Promise<void> {
      await services.friendships.request(user, other.user.username);
      await services.friendships.accept(other.user, user.username);
    },
    block: (other: { user: User }) => services.friendships.block(user, other.user.username),
    /** The direct conversation with a friend. */
    async directWith(other: { user: User }): Promise<number> {
      return (await services.conversations.openDirect(user, other.user)).id;
    },
    /** Creates a room (private unless told) and returns its id. */
    async createRoom(name: string, visibility: "private" | "public" = "private"): Promise<number> {
      return (await services.rooms.create(user, { name, visibility })).id;
    },
    invite: (roomId: number, other: { user: User }) =>
      services.roomMembers.invite(user, roomId, other.user.username),
  };
  return me;
}

/** A server-side socket that records what the server writes, and lets a test write frames. */
export class FakeSocket implements ServerSocket {
  readyState: number = WebSocket.CONNECTING;
  bufferedAmount = 0;
  frames: ServerFrame[] = [];
  closeCode: number | undefined;
  paused = false;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string | Uint8Array }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: { error: unknown }) => void) | null = null;

  open() {
    this.readyState = WebSocket.OPEN;
    this.onopen?.();
  }
  drained(): Promise<void> {
    return Promise.resolve(); // a fake client reads everything at once
  }
  pauseReading() {
    this.paused = true;
  }
  resumeReading() {
    this.paused = false;
  }
  send(data: string) {
    this.frames.push(JSON.parse(data));
  }
  close(code = 1000, reason = "") {
    if (this.readyState === WebSocket.CLOSED) return;
    this.readyState = WebSocket.CLOSED;
    this.closeCode = code;
    this.onclose?.({ code, reason });
  }
  /** The client writes a frame (or raw text). */
  write(frame: ClientFrame | string) {
    this.onmessage?.({ data: typeof frame === "string" ? frame : JSON.stringify(frame) });
  }
  get snapshot(): Snapshot {
    const found = this.frames.find((f) => f.type === "snapshot");
    if (!found || found.type !== "snapshot") throw new Error("no snapshot yet");
    return found.snapshot;
  }
  all<K extends ServerFrame["type"]>(type: K): Extract<ServerFrame, { type: K }>[] {
    return this.frames.filter((f): f is Extract<ServerFrame, { type: K }> => f.type === type);
  }
  waitFor(predicate: (frame: ServerFrame) => boolean, from = 0): Promise<ServerFrame> {
    return waitUntil(() => this.frames.slice(from).find(predicate), {
      what: "a frame",
      seen: () => JSON.stringify(this.frames.slice(-5)),
    });
  }
  /** Sends a message and resolves with its acknowledgement or error frame. */
  say(conversationId: number, text: string, clientId: string = crypto.randomUUID()) {
    const from = this.frames.length;
    this.write({ type: "send", clientId, conversationId, text });
    return this.waitFor(
      (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
      from,
    ) as Promise<Extract<ServerFrame, { type: "ack" | "error" }>>;
  }
  /** Resolves once every frame written before it has been handled (frames are handled in order). */
  async settle(): Promise<void> {
    const from = this.frames.length;
    this.write({ type: "ping" });
    await this.waitFor((f) => f.type === "pong", from);
  }
}
