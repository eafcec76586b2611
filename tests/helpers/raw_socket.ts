// A chat socket over raw TCP, for clients no WebSocket object can play: one that streams a
// huge frame, or one that writes and never reads. Client frames use a zero masking key.
const encoder = new TextEncoder();

export type RawChat = Awaited<ReturnType<typeof openRawChat>>;

/** Completes the upgrade and returns the connection with any bytes read past the handshake. */
export async function openRawChat(origin: string, cookie: string) {
  const port = Number(new URL(origin).port);
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.write(encoder.encode(
    `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${origin}\r\nCookie: ${cookie}\r\n` +
      `Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
      `Sec-WebSocket-Version: 13\r\n\r\n`,
  ));
  let pending: Uint8Array<ArrayBuffer> = new Uint8Array(0);
  for (;;) {
    const chunk = new Uint8Array(4096);
    const n = await conn.read(chunk);
    if (n === null) throw new Error("closed during the handshake");
    pending = concat(pending, chunk.subarray(0, n));
    const end = new TextDecoder().decode(pending).indexOf("\r\n\r\n");
    if (end === -1) continue;
    const status = new TextDecoder().decode(pending.subarray(0, 12));
    if (status !== "HTTP/1.1 101") throw new Error(`upgrade refused: ${status}`);
    pending = pending.slice(end + 4);
    break;
  }
  let closing = false;
  return {
    conn,
    /** Writes, and resolves false instead of throwing once the connection is gone. */
    async write(bytes: Uint8Array): Promise<boolean> {
      try {
        await conn.write(bytes);
        return true;
      } catch {
        return false;
      }
    },
    /**
     * Reads (and discards) frames until the server's close frame: resolves with its code, or
     * null when the connection ended without one.
     */
    async closeCode(): Promise<number | null> {
      let buffer = pending;
      const chunk = new Uint8Array(256 * 1024);
      for (;;) {
        for (;;) { // skip whole frames
          const frame = frameAt(buffer);
          if (!frame) break;
          if (frame.opcode === 8) {
            return frame.length >= 2 ? (buffer[frame.head] << 8) | buffer[frame.head + 1] : 1005;
          }
          buffer = buffer.subarray(frame.head + frame.length);
        }
        let n: number | null = null;
        try {
          n = await conn.read(chunk);
        } catch { /* reset */ }
        if (n === null) return null;
        buffer = concat(buffer, chunk.subarray(0, n));
      }
    },
    close() {
      if (closing) return;
      closing = true;
      try {
        conn.close();
      } catch { /* already closed */ }
    },
  };
}

/** The header of a masked client frame (zero key) carrying `length` payload bytes. */
export function frameHeader(opcode: number, length: number): Uint8Array {
  if (length < 126) return new Uint8Array([0x80 | opcode, 0x80 | length, 0, 0, 0, 0]);
  if (length < 65536) {
    return new Uint8Array([0x80 | opcode, 0x80 | 126, length >> 8, length & 0xff, 0, 0, 0, 0]);
  }
  const header = new Uint8Array(14);
  header[0] = 0x80 | opcode;
  header[1] = 0x80 | 127;
  new DataView(header.buffer).setBigUint64(2, BigInt(length));
  return header;
}

/** A whole client text frame. */
export function textFrame(text: string): Uint8Array {
  const payload = encoder.encode(text);
  return concat(frameHeader(1, payload.length), payload);
}

function frameAt(buffer: Uint8Array): { opcode: number; head: number; length: number } | null {
  if (buffer.length < 2) return null;
  let length = buffer[1] & 0x7f;
  let head = 2;
  if (length === 126) {
    if (buffer.length < 4) return null;
    length = (buffer[2] << 8) | buffer[3];
    head = 4;
  } else if (length === 127) {
    if (buffer.length < 10) return null;
    length = Number(new DataView(buffer.buffer, buffer.byteOffset + 2, 8).getBigUint64(0));
    head = 10;
  }
  if (buffer.length < head + length) return null;
  return { opcode: buffer[0] & 0x0f, head, length };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
