// WebSockets on the `ws` package: a frame over the limit is refused at its header, dead peers
// are found by heartbeat, and each socket wears the small WebSocket shape the routes use.
// (Deno.upgradeWebSocket assembles up to 64 MiB per message before we could look at it.)
import { Buffer } from "node:buffer";
import type { Socket } from "node:net";
// @ts-types="@types/ws"
import { type WebSocket as WsSocket, WebSocketServer } from "ws";
import type { Upgrade } from "../http_server.ts";
import { CLOSE } from "../wire.ts";
import type { ServerSocket } from "./socket_session.ts";

export type WebSockets = {
  /** Takes an upgrade over; the handshake completes after the caller has set the handlers. */
  accept(upgrade: Upgrade): ServerSocket;
  /** Resolves once no socket is open (after they were asked to close). */
  closed(): Promise<void>;
  /** Stops the heartbeat and drops every socket still open (after shutdown's grace). */
  stop(): void;
};

// Each frame waiting to be written costs its bookkeeping besides its bytes: counted, a flood
// of 17-byte pongs cannot hold 50 times the bytes that bufferedAmount admits.
const FRAME_OVERHEAD_BYTES = 256;
// A peer that has not answered our close by then is cut (ws's default is 30 s).
const CLOSE_TIMEOUT_MS = 5000;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

export function createWebSockets(
  options: { maxFrameBytes: number; heartbeatMs: number },
): WebSockets {
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: options.maxFrameBytes,
    perMessageDeflate: false,
    clientTracking: false,
    // Every message of a TCP read at once: the session handles a frame as it arrives when
    // nothing waits, and bounds what waits (lib/realtime/socket_session.ts).
    allowSynchronousEvents: true,
    ...{ closeTimeout: CLOSE_TIMEOUT_MS }, // ws 8.23 has it; @types/ws 8.18 does not yet
  });
  const heard = new Map<WsSocket, boolean>(); // open sockets: did the peer say anything since the last ping?
  // One ping per period for all sockets; a socket silent for a whole period is dead.
  // The timer runs only while sockets are open, so an app that never serves one holds none.
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let allClosed: PromiseWithResolvers<void> | undefined;
  function beat() {
    if (heard.size === 0) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
    for (const [ws, alive] of heard) {
      if (!alive) ws.terminate();
      else {
        heard.set(ws, false);
        ws.ping();
      }
    }
  }

  return {
    accept(upgrade) {
      upgrade.taken = true;
      let ws: WsSocket | null = null;
      let closed = false;
      let raw: Socket | undefined; // the TCP connection under ws
      let unwritten = 0; // frames handed to the connection and not yet written to the kernel
      const written = () => unwritten--;
      // Frames sent together go out in one write (see writeSoon): a replay, an ack with its
      // message, a burst of fan-out cost one write op, not one each.
      let queue: Buffer[] = [];
      let queuedBytes = 0;
      const flush = () => {
        if (queue.length === 0) return;
        const frames = queue;
        const bytes = queuedBytes;
        queue = [];
        queuedBytes = 0;
        if (ws?.readyState !== OPEN || !raw) return; // closed meanwhile: nothing after a close
        const count = frames.length;
        unwritten += count;
        raw.write(
          count === 1 ? frames[0] : Buffer.concat(frames, bytes),
          count === 1 ? written : () => (unwritten -= count),
        );
      };
      const socket: ServerSocket = {
        get readyState() {
          return ws?.readyState ?? (closed ? CLOSED : CONNECTING);
        },
        get bufferedAmount() {
          if (!ws) return 0;
          return ws.bufferedAmount + queuedBytes +
            (unwritten + queue.length) * FRAME_OVERHEAD_BYTES;
        },
        send(data, batch) {
          if (ws?.readyState !== OPEN) return; // nothing after our close frame
          if (!raw) {
            unwritten++;
            return void ws.send(data, TEXT, written);
          }
          if (!batch && queue.length === 0) {
            unwritten++;
            return void raw.write(framed(data), written);
          }
          // A frame built once for every recipient (see `framed`), written straight to the
          // connection: ws's own send builds a header per socket and writes header and payload
          // as two buffers, which Deno's node:net turns into a writev costing far more.
          const frame = framed(data);
          queue.push(frame);
          queuedBytes += frame.length;
          if (queue.length === 1) writeSoon(flush);
        },
        close(code, reason) {
          if (!ws) return void (closed = true); // not yet handed over: no handshake then
          flush(); // what was sent before the close goes out before it
          ws.close(code, reason);
          // A peer too slow to read will not read our close either: read no more of it.
          if (code === CLOSE.TOO_SLOW) ws.pause();
        },
        pauseReading: () => ws?.pause(),
        resumeReading: () => ws?.readyState === OPEN && ws.resume(),
        drained(bytes) {
          const tcp = raw;
          if (!ws || !tcp || ws.readyState !== OPEN || socket.bufferedAmount <= bytes) {
            return Promise.resolve();
          }
          return new Promise((done) => {
            const check = () => {
              if (ws!.readyState === OPEN && socket.bufferedAmount > bytes) return;
              tcp.off("drain", check);
              ws!.off("close", check);
              done();
            };
            tcp.on("drain", check);
            ws!.on("close", check);
          });
        },
        onopen: null,
        onmessage: null,
        onclose: null,
        onerror: null,
      };
      queueMicrotask(() => {
        if (closed) return void upgrade.socket.destroy();
        server.handleUpgrade(upgrade.incoming, upgrade.socket, upgrade.head, (opened) => {
          ws = opened;
          raw = (opened as unknown as { _socket?: Socket })._socket;
          heard.set(ws, true);
          heartbeat ??= setInterval(beat, options.heartbeatMs);
          // Without an error listener an oversized frame would crash the process; ws closes
          // the socket itself (1009 for a frame over the limit) and `close` follows.
          ws.on("error", (error) => socket.onerror?.({ error }));
          ws.on("pong", () => heard.set(opened, true));
          ws.on("message", (data: Buffer, isBinary: boolean) => {
            heard.set(opened, true);
            socket.onmessage?.({ data: isBinary ? new Uint8Array(data) : data.toString() });
          });
          ws.on("close", (code: number, reason: Buffer) => {
            heard.delete(opened);
            if (heard.size === 0) allClosed?.resolve();
            socket.onclose?.({ code, reason: reason.toString() });
          });
          socket.onopen?.();
        });
      });
      return socket;
    },
    closed() {
      if (heard.size === 0) return Promise.resolve();
      allClosed ??= Promise.withResolvers();
      return allClosed.promise;
    },
    stop() {
      clearInterval(heartbeat);
      heartbeat = undefined;
      for (const ws of heard.keys()) ws.terminate();
      heard.clear();
    },
  };
}

const TEXT = { binary: false } as const;

// Sockets with frames waiting, and the one task per turn of the event loop that writes them
// all. (As a microtask instead, it ran between the awaits of a replay and wrote it in pieces:
// reconnect took 1.18x as long; DM CPU per ack did not move measurably either way.)
const waiting = new Set<() => void>();
let writeScheduled = false;
function writeSoon(flush: () => void) {
  waiting.add(flush);
  if (writeScheduled) return;
  writeScheduled = true;
  setImmediate(writeAll);
}
function writeAll() {
  writeScheduled = false;
  const flushes = [...waiting]; // taken first: a socket queued by a flush waits for the next turn
  waiting.clear();
  for (const flush of flushes) flush();
}

// Fan-out sends one string to many sockets in a row: frame it once, not once per socket. A
// server's frames are not masked, so the same bytes suit every recipient.
let lastText = "";
let lastFrame = Buffer.alloc(0);
function framed(text: string): Buffer {
  if (text === lastText) return lastFrame;
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, text
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(text, header, "utf8");
  lastText = text;
  lastFrame = frame;
  return frame;
}
