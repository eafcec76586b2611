// A minimal WebSocket client over raw TCP for the load generator: no WebSocket objects,
// no per-frame allocations beyond the payload. Client frames use a zero masking key.
const encoder = new TextEncoder();

export type Kind = "reference" | "ugochat" | "socketio";

export class RawSocket {
  #conn: Deno.TcpConn;
  #buffer = new Uint8Array(64 * 1024);
  #length = 0;
  closed = false;
  onText: (payload: Uint8Array) => void = () => {};
  onClose: () => void = () => {};

  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }

  static async open(
    port: number,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<RawSocket> {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    conn.setNoDelay(true);
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    await conn.write(encoder.encode(lines.join("\r\n") + "\r\n\r\n"));
    const socket = new RawSocket(conn);
    await socket.#readHandshake();
    return socket;
  }

  /** Starts reading frames: call after setting onText, or the first frames are lost. */
  start(): void {
    this.#pump();
  }

  async #readHandshake() {
    for (;;) {
      const n = await this.#conn.read(this.#buffer.subarray(this.#length));
      if (n === null) throw new Error("closed during handshake");
      this.#length += n;
      const text = new TextDecoder().decode(this.#buffer.subarray(0, this.#length));
      const end = text.indexOf("\r\n\r\n");
      if (end === -1) continue;
      if (!text.startsWith("HTTP/1.1 101")) {
        throw new Error(`upgrade refused: ${text.split("\r\n")[0]}`);
      }
      const rest = this.#buffer.slice(end + 4, this.#length);
      this.#buffer.set(rest, 0);
      this.#length = rest.length;
      return;
    }
  }

  async #pump() {
    try {
      this.#parse();
      for (;;) {
        if (this.#length === this.#buffer.length) {
          const bigger = new Uint8Array(this.#buffer.length * 2);
          bigger.set(this.#buffer);
          this.#buffer = bigger;
        }
        const n = await this.#conn.read(this.#buffer.subarray(this.#length));
        if (n === null) break;
        this.#length += n;
        this.#parse();
      }
    } catch { /* reset */ }
    this.closed = true;
    this.onClose();
  }

  #parse() {
    let offset = 0;
    const b = this.#buffer;
    while (this.#length - offset >= 2) {
      const opcode = b[offset] & 0x0f;
      let len = b[offset + 1] & 0x7f;
      let head = 2;
      if (len === 126) {
        if (this.#length - offset < 4) break;
        len = (b[offset + 2] << 8) | b[offset + 3];
        head = 4;
      } else if (len === 127) {
        if (this.#length - offset < 10) break;
        len = Number(new DataView(b.buffer, b.byteOffset + offset + 2, 8).getBigUint64(0));
        head = 10;
      }
      if (this.#length - offset < head + len) break;
      const payload = b.subarray(offset + head, offset + head + len);
      if (opcode === 1) this.onText(payload);
      else if (opcode === 9) this.#frame(10, payload.slice());
      else if (opcode === 8) this.close();
      offset += head + len;
    }
    if (offset > 0) {
      b.copyWithin(0, offset, this.#length);
      this.#length -= offset;
    }
  }

  #frame(opcode: number, payload: Uint8Array) {
    if (this.closed) return;
    const len = payload.length;
    const head = len < 126 ? 6 : len < 65536 ? 8 : 14;
    const frame = new Uint8Array(head + len);
    frame[0] = 0x80 | opcode;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 65536) {
      frame[1] = 0x80 | 126;
      frame[2] = len >> 8;
      frame[3] = len & 0xff;
    } else {
      frame[1] = 0x80 | 127;
      new DataView(frame.buffer).setBigUint64(2, BigInt(len));
    }
    frame.set(payload, head); // the masking key is zero: the payload goes as it is
    this.#conn.write(frame).catch(() => this.close());
  }

  sendText(text: string) {
    this.#frame(1, encoder.encode(text));
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.#conn.close();
    } catch { /* already */ }
  }
}

/** CPU seconds (user + system) a process has used, from /proc. */
export function cpuSeconds(pid: number | "self"): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

export function rssKiB(pid: number): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]);
}
