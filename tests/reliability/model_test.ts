// Model-based test: random sequences of what people do, against a real server, with the
// invariants checked after every step. A model tracks who is registered, befriended,
// blocked and connected, and who is in which room with which role; the server must agree
// with it, and with itself.
import assert from "node:assert/strict";
import fc from "fast-check";
import { applyEvent, type MessageView, type Snapshot } from "../../lib/protocol.ts";
import { LOBBY_ID } from "../../lib/wire.ts";
import { SHARED_PRESENCE } from "../helpers/backend.ts";
import { type Client, createClient } from "../helpers/client.ts";
import { sleep } from "../helpers/wait.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { type ChatSocket, openChat } from "../helpers/socket.ts";

const NAMES = ["alice", "bob", "carol", "dave", "erin"] as const;
type Name = typeof NAMES[number];
/** Who a message mentions: the next name round, so that mentions come and go with blocks. */
const next = (name: Name): Name => NAMES[(NAMES.indexOf(name) + 1) % NAMES.length];
const RUNS = Number(Deno.env.get("MODEL_RUNS") ?? 25);
const STEPS = Number(Deno.env.get("MODEL_STEPS") ?? 40);
const FOUNDERS: Name[] = ["alice", "bob", "carol"]; // registered before each run; Register adds the rest
const ENV = {
  PRESENCE_GRACE_MS: "0",
  MESSAGES_PER_10S: "100000",
  REGISTER_PER_IP_PER_HOUR: "100000",
  ROOM_CHANGES_PER_MIN: "100000",
};
const MAX_ROOMS = 3; // created per run, so that rooms get members and messages

type Visibility = "private" | "public";
type Role = "owner" | "admin" | "member";
type RoomModel = {
  id: number;
  visibility: Visibility;
  /** In the order they joined. */
  members: Name[];
  roles: Map<Name, Role>;
  alive: boolean;
};

type Model = {
  registered: Set<Name>;
  friends: Set<string>; // "a|b", sorted
  blocks: Set<string>; // "a>b": a blocked b
  sockets: Map<Name, number>;
  rooms: RoomModel[];
};

type Real = {
  server: TestServer;
  dataDir: string;
  clients: Map<Name, Client>;
  ids: Map<Name, number>;
  sockets: Map<Name, ChatSocket[]>;
  /**
   * Every stored message: the Lobby's are visible to whoever has not blocked the sender, a
   * room's to its members now who have not.
   */
  sent: Map<
    number,
    { seq: number; sender: Name; members: Set<Name> | "lobby" | { room: number }; deleted?: true }
  >;
  /** How many of each socket's message frames were already checked. */
  checkedFrames: WeakMap<ChatSocket, number>;
  steps: number;
  /**
   * With presence shared through Redis, a stopped process's holds lapse within PRESENCE_TTL_S
   * (tests/cluster checks when): until then, users it held may still show online.
   */
  lingering: Set<Name>;
};

const pair = (a: Name, b: Name) => [a, b].sort().join("|");
const blocked = (m: Model, a: Name, b: Name) =>
  m.blocks.has(`${a}>${b}`) || m.blocks.has(`${b}>${a}`);

/**
 * Whether `reader` may see message `id` now: a Lobby message unless they blocked its sender, a
 * room's while they are in it (unless they blocked its sender), a direct one if it is theirs.
 */
function maySee(m: Model, r: Real, reader: Name, id: number): boolean {
  const message = r.sent.get(id);
  if (!message) return false;
  const unblocked = !m.blocks.has(`${reader}>${message.sender}`);
  if (message.members === "lobby") return m.registered.has(reader) && unblocked;
  if (message.members instanceof Set) return message.members.has(reader);
  const room = roomWithId(m, message.members.room);
  return !!room?.alive && room.members.includes(reader) && unblocked;
}

const roomWithId = (m: Readonly<Model>, id: number) => m.rooms.find((room) => room.id === id);
/** The k-th room created (counting round), while it exists. */
const roomAt = (m: Readonly<Model>, k: number) => {
  const room = m.rooms[k % Math.max(1, m.rooms.length)];
  return room?.alive ? room : undefined;
};
const isIn = (m: Readonly<Model>, k: number, who: Name) =>
  roomAt(m, k)?.members.includes(who) ?? false;

/** The store's rule: the owner leaving hands over to the first admin, else the first member. */
function leaveRoom(room: RoomModel, who: Name) {
  const wasOwner = room.roles.get(who) === "owner";
  room.members = room.members.filter((member) => member !== who);
  room.roles.delete(who);
  if (room.members.length === 0) return void (room.alive = false);
  if (!wasOwner) return;
  const next = room.members.find((member) => room.roles.get(member) === "admin") ??
    room.members[0];
  room.roles.set(next, "owner");
}

async function ok(response: Response, ...statuses: number[]) {
  const body = await response.text();
  assert.ok(
    statuses.includes(response.status),
    `expected ${statuses}, got ${response.status}: ${body}`,
  );
  return body ? JSON.parse(body) : null;
}

// ---- commands ----

class Register implements fc.AsyncCommand<Model, Real> {
  constructor(readonly name: Name) {}
  check = (m: Readonly<Model>) => !m.registered.has(this.name);
  async run(m: Model, r: Real) {
    const client = createClient(r.server.origin);
    r.ids.set(this.name, (await client.register(this.name)).id);
    r.clients.set(this.name, client);
    m.registered.add(this.name);
  }
  toString = () => `register(${this.name})`;
}

class Befriend implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name) {}
  check = (m: Readonly<Model>) =>
    this.a !== this.b && m.registered.has(this.a) && m.registered.has(this.b);
  async run(m: Model, r: Real) {
    const asked = await r.clients.get(this.a)!.post("/api/friends/requests", { username: this.b });
    if (blocked(m, this.a, this.b)) {
      return assert.equal((await ok(asked, 403)).error.code, "blocked");
    }
    if (m.friends.has(pair(this.a, this.b))) {
      return assert.equal((await ok(asked, 409)).error.code, "already_friends");
    }
    await ok(asked, 201);
    await ok(await r.clients.get(this.b)!.post(`/api/friends/requests/${this.a}/accept`), 200);
    m.friends.add(pair(this.a, this.b));
  }
  toString = () => `befriend(${this.a}, ${this.b})`;
}

class Unfriend implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name) {}
  check = (m: Readonly<Model>) => m.friends.has(pair(this.a, this.b));
  async run(m: Model, r: Real) {
    await ok(await r.clients.get(this.a)!.request("DELETE", `/api/friends/${this.b}`), 204);
    m.friends.delete(pair(this.a, this.b));
  }
  toString = () => `unfriend(${this.a}, ${this.b})`;
}

class Block implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name) {}
  check = (m: Readonly<Model>) =>
    this.a !== this.b && m.registered.has(this.a) && m.registered.has(this.b);
  async run(m: Model, r: Real) {
    await ok(await r.clients.get(this.a)!.post("/api/blocks", { username: this.b }), 201);
    m.blocks.add(`${this.a}>${this.b}`);
    m.friends.delete(pair(this.a, this.b));
  }
  toString = () => `block(${this.a}, ${this.b})`;
}

class Unblock implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name) {}
  check = (m: Readonly<Model>) => m.blocks.has(`${this.a}>${this.b}`);
  async run(m: Model, r: Real) {
    await ok(await r.clients.get(this.a)!.request("DELETE", `/api/blocks/${this.b}`), 204);
    m.blocks.delete(`${this.a}>${this.b}`);
  }
  toString = () => `unblock(${this.a}, ${this.b})`;
}

class Connect implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name) {}
  check = (m: Readonly<Model>) => m.registered.has(this.a) && (m.sockets.get(this.a) ?? 0) < 2;
  async run(m: Model, r: Real) {
    const socket = await openChat(r.server.origin, r.clients.get(this.a)!);
    r.sockets.set(this.a, [...(r.sockets.get(this.a) ?? []), socket]);
    m.sockets.set(this.a, (m.sockets.get(this.a) ?? 0) + 1);
  }
  toString = () => `connect(${this.a})`;
}

class Disconnect implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(m: Model, r: Real) {
    const [first, ...rest] = r.sockets.get(this.a)!;
    await first.close();
    r.sockets.set(this.a, rest);
    m.sockets.set(this.a, rest.length);
  }
  toString = () => `disconnect(${this.a})`;
}

/** Closes a socket and opens it again from where it left off, as a page reload does. */
class Reload implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(m: Model, r: Real) {
    const [first, ...rest] = r.sockets.get(this.a)!;
    await first.close();
    const again = await reopen(m, r, this.a, first);
    r.sockets.set(this.a, [...rest, again]);
  }
  toString = () => `reload(${this.a})`;
}

class Send implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly to: Name | "lobby") {}
  check = (m: Readonly<Model>) =>
    (m.sockets.get(this.a) ?? 0) > 0 && (this.to === "lobby" || m.registered.has(this.to));
  async run(m: Model, r: Real) {
    const socket = r.sockets.get(this.a)![0];
    if (this.to === "lobby") {
      const ack = await socket.say(LOBBY_ID, `${this.a} to everyone, hi @${next(this.a)}`);
      assert.equal(ack.type, "ack");
      const { id, seq } = ack as { id: number; seq: number };
      return void r.sent.set(id, { seq, sender: this.a, members: "lobby" });
    }
    if (this.to === this.a) return;
    const opened = await r.clients.get(this.a)!.post("/api/conversations", { with: this.to });
    if (blocked(m, this.a, this.to) || !m.friends.has(pair(this.a, this.to))) {
      const code = (await ok(opened, 403)).error.code;
      return assert.equal(code, blocked(m, this.a, this.to) ? "blocked" : "not_friends");
    }
    const { conversation } = await ok(opened, 200);
    const ack = await socket.say(conversation.id, `${this.a} to @${this.to}`);
    assert.equal(ack.type, "ack");
    const { id, seq } = ack as { id: number; seq: number };
    r.sent.set(id, { seq, sender: this.a, members: new Set([this.a, this.to]) });
  }
  toString = () => `send(${this.a} → ${this.to})`;
}

class Read implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(_m: Model, r: Real) {
    const socket = r.sockets.get(this.a)![0];
    const seen = latestView(socket);
    for (const c of seen.conversations) {
      if (c.latest) socket.send({ type: "read", conversationId: c.id, messageId: c.latest.id });
    }
    await barrier(socket);
  }
  toString = () => `read(${this.a})`;
}

class Restart implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real) {
    if (SHARED_PRESENCE) { for (const [name, n] of m.sockets) if (n > 0) r.lingering.add(name); }
    await r.server.shutdown();
    for (const list of r.sockets.values()) await Promise.all(list.map((s) => s.closed));
    r.server = await startTestServer({ ...ENV, DATA_DIR: r.dataDir });
    for (const [name, client] of r.clients) {
      const moved = createClient(r.server.origin);
      for (const [k, v] of client.jar) moved.jar.set(k, v);
      r.clients.set(name, moved);
    }
    for (const [name, list] of r.sockets) {
      const reopened = [];
      for (const old of list) reopened.push(await reopen(m, r, name, old));
      r.sockets.set(name, reopened);
    }
  }
  toString = () => "restart";
}

// ---- rooms ----

class CreateRoom implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly visibility: Visibility) {}
  check = (m: Readonly<Model>) => m.registered.has(this.a) && m.rooms.length < MAX_ROOMS;
  async run(m: Model, r: Real) {
    const made = await r.clients.get(this.a)!.post("/api/rooms", {
      name: `${this.a}'s ${this.visibility} room`,
      visibility: this.visibility,
    });
    const { room } = await ok(made, 201);
    m.rooms.push({
      id: room.id,
      visibility: this.visibility,
      members: [this.a],
      roles: new Map([[this.a, "owner"]]),
      alive: true,
    });
  }
  toString = () => `createRoom(${this.a}, ${this.visibility})`;
}

class Invite implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name, readonly k: number) {}
  check = (m: Readonly<Model>) =>
    this.a !== this.b && m.registered.has(this.b) && isIn(m, this.k, this.a);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    const answer = await r.clients.get(this.a)!.post(`/api/rooms/${room.id}/members`, {
      username: this.b,
    });
    const code = async (status: number) => (await ok(answer, status)).error.code;
    if (room.visibility === "private" && room.roles.get(this.a) === "member") {
      return assert.equal(await code(403), "not_allowed");
    }
    if (blocked(m, this.a, this.b)) return assert.equal(await code(403), "blocked");
    if (!m.friends.has(pair(this.a, this.b))) return assert.equal(await code(403), "not_friends");
    if (room.members.includes(this.b)) return assert.equal(await code(409), "already_member");
    await ok(answer, 201);
    room.members.push(this.b);
    room.roles.set(this.b, "member");
  }
  toString = () => `invite(${this.a} → ${this.b}, room ${this.k})`;
}

class JoinRoom implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number) {}
  check = (m: Readonly<Model>) => m.registered.has(this.a) && !!roomAt(m, this.k);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    const answer = await r.clients.get(this.a)!.post(`/api/rooms/${room.id}/join`);
    if (room.members.includes(this.a)) return void await ok(answer, 200);
    if (room.visibility === "private") return void await ok(answer, 404);
    await ok(answer, 200);
    room.members.push(this.a);
    room.roles.set(this.a, "member");
  }
  toString = () => `join(${this.a}, room ${this.k})`;
}

class LeaveRoom implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number) {}
  check = (m: Readonly<Model>) => isIn(m, this.k, this.a);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    await ok(await r.clients.get(this.a)!.post(`/api/rooms/${room.id}/leave`), 204);
    leaveRoom(room, this.a);
  }
  toString = () => `leave(${this.a}, room ${this.k})`;
}

class RemoveMember implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name, readonly k: number) {}
  check = (m: Readonly<Model>) =>
    this.a !== this.b && isIn(m, this.k, this.a) && isIn(m, this.k, this.b);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    const path = `/api/rooms/${room.id}/members/${r.ids.get(this.b)}`;
    const answer = await r.clients.get(this.a)!.request("DELETE", path);
    const [mine, theirs] = [room.roles.get(this.a), room.roles.get(this.b)];
    if (mine === "owner" || (mine === "admin" && theirs === "member")) {
      await ok(answer, 204);
      return leaveRoom(room, this.b);
    }
    assert.equal((await ok(answer, 403)).error.code, "not_allowed");
  }
  toString = () => `remove(${this.a} removes ${this.b}, room ${this.k})`;
}

class MakeAdmin implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly b: Name, readonly k: number) {}
  check = (m: Readonly<Model>) =>
    this.a !== this.b && isIn(m, this.k, this.a) && isIn(m, this.k, this.b);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    const answer = await r.clients.get(this.a)!.request(
      "PATCH",
      `/api/rooms/${room.id}/members/${r.ids.get(this.b)}`,
      { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ role: "admin" }) },
    );
    if (room.roles.get(this.a) !== "owner") {
      return assert.equal((await ok(answer, 403)).error.code, "not_allowed");
    }
    await ok(answer, 200);
    room.roles.set(this.b, "admin");
  }
  toString = () => `makeAdmin(${this.a} makes ${this.b}, room ${this.k})`;
}

class DeleteRoom implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number) {}
  check = (m: Readonly<Model>) => isIn(m, this.k, this.a);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    const answer = await r.clients.get(this.a)!.request("DELETE", `/api/rooms/${room.id}`);
    if (room.roles.get(this.a) !== "owner") {
      return assert.equal((await ok(answer, 403)).error.code, "not_allowed");
    }
    await ok(answer, 204);
    room.alive = false;
  }
  toString = () => `deleteRoom(${this.a}, room ${this.k})`;
}

class SendToRoom implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0 && !!roomAt(m, this.k);
  async run(m: Model, r: Real) {
    const room = roomAt(m, this.k)!;
    const text = `${this.a} in room ${this.k}, @${next(this.a)}`;
    const answer = await r.sockets.get(this.a)![0].say(room.id, text);
    if (!room.members.includes(this.a)) {
      return assert.ok(answer.type === "error" && answer.code === "not_found");
    }
    assert.equal(answer.type, "ack");
    const { id, seq } = answer as { id: number; seq: number };
    r.sent.set(id, { seq, sender: this.a, members: { room: room.id } });
  }
  toString = () => `sendToRoom(${this.a}, room ${this.k})`;
}

/** The k-th message `a` sent (counting round), if any. */
function ownMessage(r: Real, a: Name, k: number): number | undefined {
  const mine = [...r.sent].filter(([, sent]) => sent.sender === a).map(([id]) => id);
  return mine.length ? mine[k % mine.length] : undefined;
}

/** `a` edits or deletes the k-th message they sent: the author may, while they see it. */
class ChangeOwn implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number, readonly kind: "edit" | "delete") {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(m: Model, r: Real) {
    const id = ownMessage(r, this.a, this.k);
    if (id === undefined) return;
    const socket = r.sockets.get(this.a)![0];
    const clientId = crypto.randomUUID();
    const from = socket.frames.length;
    socket.send(
      this.kind === "edit"
        ? { type: "edit", clientId, messageId: id, text: `${this.a} edited @${next(this.a)}` }
        : { type: "delete", clientId, messageId: id },
    );
    const answer = await socket.waitFor(
      (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
      5000,
      from,
    );
    const sent = r.sent.get(id)!;
    if (!maySee(m, r, this.a, id)) {
      return assert.ok(answer.type === "error" && answer.code === "not_found", this.toString());
    }
    if (this.kind === "edit" && sent.deleted) {
      return assert.ok(answer.type === "error" && answer.code === "not_allowed");
    }
    assert.ok(answer.type === "ack", JSON.stringify(answer));
    sent.seq = answer.seq; // the message now stands at its last change's seq
    if (this.kind === "delete") sent.deleted = true;
  }
  toString = () => `${this.kind}Own(${this.a}, message ${this.k})`;
}

/** `a` toggles a reaction on the k-th message of all (counting round): whoever sees it may. */
class React implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number, readonly emoji: string, readonly on: boolean) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(m: Model, r: Real) {
    const ids = [...r.sent.keys()];
    if (!ids.length) return;
    const id = ids[this.k % ids.length];
    const socket = r.sockets.get(this.a)![0];
    const clientId = crypto.randomUUID();
    const from = socket.frames.length;
    socket.send({ type: "react", clientId, messageId: id, emoji: this.emoji, on: this.on });
    const answer = await socket.waitFor(
      (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
      5000,
      from,
    );
    const sent = r.sent.get(id)!;
    if (!maySee(m, r, this.a, id)) {
      return assert.ok(answer.type === "error" && answer.code === "not_found", this.toString());
    }
    if (sent.deleted) return assert.ok(answer.type === "error" && answer.code === "not_allowed");
    if (sent.members instanceof Set && sent.sender !== this.a && blocked(m, this.a, sent.sender)) {
      return assert.ok(answer.type === "error" && answer.code === "blocked", this.toString());
    }
    assert.ok(answer.type === "ack", JSON.stringify(answer));
    sent.seq = Math.max(sent.seq, answer.seq);
  }
  toString = () => `react(${this.a}, message ${this.k}, ${this.emoji}, ${this.on})`;
}

/**
 * `a` replies to the k-th message of all (counting round), in its conversation: whoever may
 * write there and sees it may, unless it was deleted. The reply quotes it as it is now (the
 * snapshot check then follows the quote through later edits and deletions of the original).
 */
class Reply implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly k: number) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(m: Model, r: Real) {
    const ids = [...r.sent.keys()];
    if (!ids.length) return;
    const id = ids[this.k % ids.length];
    const original = r.sent.get(id)!;
    const conversationId = (await r.server.services.store.messages.find(id))!.conversationId;
    const socket = r.sockets.get(this.a)![0];
    const clientId = crypto.randomUUID();
    const from = socket.frames.length;
    const text = `${this.a} replies, @${next(this.a)}`;
    socket.send({ type: "send", clientId, conversationId, text, replyTo: id });
    const answer = await socket.waitFor(
      (f) => (f.type === "ack" || f.type === "error") && f.clientId === clientId,
      5000,
      from,
    );
    const refused = (code: string) =>
      assert.ok(answer.type === "error" && answer.code === code, `${this} → ${code}`);
    if (!maySee(m, r, this.a, id)) return refused("not_found");
    if (original.members instanceof Set) {
      const other = [...original.members].find((who) => who !== this.a) ?? this.a;
      if (blocked(m, this.a, other)) return refused("blocked");
      if (!m.friends.has(pair(this.a, other))) return refused("not_friends");
    }
    if (original.deleted) return refused("not_allowed");
    assert.ok(answer.type === "ack", `${this}: ${JSON.stringify(answer)}`);
    const { id: replyId, seq } = answer as { id: number; seq: number };
    r.sent.set(replyId, { seq, sender: this.a, members: original.members });
  }
  toString = () => `reply(${this.a}, to message ${this.k})`;
}

/** Turns read receipts on or off (both ways, for every direct conversation of theirs). */
class SetReceipts implements fc.AsyncCommand<Model, Real> {
  constructor(readonly a: Name, readonly on: boolean) {}
  check = (m: Readonly<Model>) => (m.sockets.get(this.a) ?? 0) > 0;
  async run(_m: Model, r: Real) {
    const socket = r.sockets.get(this.a)![0];
    socket.send({ type: "set_receipts", sendReceipts: this.on });
    await barrier(socket);
  }
  toString = () => `receipts(${this.a}, ${this.on ? "on" : "off"})`;
}

// ---- invariants ----

function latestView(socket: ChatSocket): Snapshot {
  const start = socket.frames.findIndex((f) => f.type === "snapshot");
  return socket.frames.slice(start + 1).reduce(applyEvent, socket.snapshot);
}

/** The resume cursor a client keeps: the highest seq it has seen. */
function lastSeenSeq(socket: ChatSocket): number {
  const seqs = [
    ...socket.all("message").map((f) => f.message.seq),
    ...socket.all("message_edited").map((f) => f.seq),
    ...socket.all("message_deleted").map((f) => f.seq),
    ...socket.all("reaction").map((f) => f.seq),
    ...socket.all("receipt").map((f) => f.seq),
  ];
  const latest = socket.snapshot.conversations.map((c) => c.latest?.seq ?? 0);
  const caughtUp = socket.all("caught_up").map((f) => f.seq);
  return Math.max(0, ...seqs, ...latest, ...caughtUp);
}

async function reopen(m: Model, r: Real, name: Name, old: ChatSocket): Promise<ChatSocket> {
  const after = lastSeenSeq(old);
  const again = await openChat(r.server.origin, r.clients.get(name)!, { after });
  const replayed = again.all("message").map((f) => f.message.id);
  const expected = [...r.sent].filter(([id, { seq }]) => seq > after && maySee(m, r, name, id))
    .sort(([, x], [, y]) => x.seq - y.seq) // by seq: an edit moves a message later
    .map(([id]) => id);
  assert.deepEqual(replayed, expected, `${name} resumes with exactly what it missed`);
  return again;
}

async function barrier(socket: ChatSocket) {
  const before = socket.all("pong").length;
  socket.send({ type: "ping" });
  await socket.waitFor(() => socket.all("pong").length > before);
}

const byId = (s: Snapshot) => ({
  ...s,
  conversations: [...s.conversations].sort((a, b) => a.id - b.id),
});

/**
 * A snapshot without the presence of lingering users (see Real), which is not settled yet, and
 * without its latest messages' seqs: a change the reader may not see (a reaction by someone
 * they blocked) moves a message's seq without a frame to them, so their copy keeps the older.
 */
const settled = (r: Real, s: Snapshot): Snapshot => ({
  ...s,
  friends: s.friends.map((f) =>
    r.lingering.has(f.username as Name) ? { ...f, online: false, lastSeenAt: null } : f
  ),
  conversations: s.conversations.map((c) =>
    c.latest ? { ...c, latest: { ...c.latest, seq: 0 } } : c
  ),
});

async function checkInvariants(m: Model, r: Real) {
  await sleep(15); // presence timers (grace 0) and their store calls
  for (const list of r.sockets.values()) for (const socket of list) await barrier(socket);
  const services = r.server.services;
  for (const name of m.registered) {
    const user = { id: r.ids.get(name)!, username: name };
    const fresh = await services.snapshot(user);
    for (const friend of fresh.friends) {
      const open = (m.sockets.get(friend.username as Name) ?? 0) > 0;
      if (!open && r.lingering.has(friend.username as Name)) continue;
      assert.equal(
        friend.online,
        open,
        `${name} sees ${friend.username} ${open ? "online" : "offline"}`,
      );
    }
    assert.deepEqual(
      fresh.conversations.filter((c) => c.kind === "room").map((c) => [c.id, c.room?.role]),
      m.rooms.filter((room) => room.alive && room.members.includes(name)).map((room) => [
        room.id,
        room.roles.get(name),
      ]),
      `${name}'s rooms and roles`,
    );
    assert.deepEqual(
      fresh.friends.map((f) => f.username).sort(),
      [...m.friends].filter((p) => p.split("|").includes(name)).map((p) =>
        p.split("|").find((x) => x !== name)
      ).sort(),
      `${name}'s friends`,
    );
    for (const socket of r.sockets.get(name) ?? []) {
      assert.deepEqual(
        settled(r, byId(latestView(socket))),
        settled(r, byId(fresh)),
        `${name}: snapshot plus events equals a fresh snapshot`,
      );
      const frames = socket.all("message");
      for (const frame of frames.slice(r.checkedFrames.get(socket) ?? 0)) {
        const message: MessageView = frame.message;
        assert.ok(maySee(m, r, name, message.id), `${name} may see message ${message.id}`);
      }
      r.checkedFrames.set(socket, frames.length);
    }
  }
}

/** Runs a command, then checks every invariant. */
function checked(cmd: fc.AsyncCommand<Model, Real>): fc.AsyncCommand<Model, Real> {
  return {
    check: (m) => cmd.check(m),
    async run(m, r) {
      await cmd.run(m, r);
      r.steps++;
      await checkInvariants(m, r);
    },
    toString: () => cmd.toString(),
  };
}

// Mostly the people registered from the start; now and then one who may not be yet.
const names = fc.oneof(
  { arbitrary: fc.constantFrom(...FOUNDERS), weight: 4 },
  { arbitrary: fc.constantFrom(...NAMES), weight: 1 },
);
const two = fc.tuple(names, names);
const room = fc.nat(MAX_ROOMS - 1);
// Weighted towards what people mostly do: connect, talk, make friends.
const commands = [
  { weight: 1, arbitrary: names.map((a) => checked(new Register(a))) },
  { weight: 3, arbitrary: two.map(([a, b]) => checked(new Befriend(a, b))) },
  { weight: 1, arbitrary: two.map(([a, b]) => checked(new Unfriend(a, b))) },
  { weight: 1, arbitrary: two.map(([a, b]) => checked(new Block(a, b))) },
  { weight: 1, arbitrary: two.map(([a, b]) => checked(new Unblock(a, b))) },
  { weight: 4, arbitrary: names.map((a) => checked(new Connect(a))) },
  { weight: 2, arbitrary: names.map((a) => checked(new Disconnect(a))) },
  { weight: 2, arbitrary: names.map((a) => checked(new Reload(a))) },
  {
    weight: 5,
    arbitrary: fc.tuple(names, fc.oneof(fc.constant("lobby" as const), names)).map(([a, to]) =>
      checked(new Send(a, to))
    ),
  },
  { weight: 3, arbitrary: names.map((a) => checked(new Read(a))) },
  {
    weight: 1,
    arbitrary: fc.tuple(names, fc.boolean()).map(([a, on]) => checked(new SetReceipts(a, on))),
  },
  { weight: 1, arbitrary: fc.constant(checked(new Restart())) },
  {
    weight: 1,
    arbitrary: fc.tuple(names, fc.constantFrom<Visibility>("private", "public", "public")).map((
      [a, v],
    ) => checked(new CreateRoom(a, v))),
  },
  { weight: 4, arbitrary: fc.tuple(two, room).map(([[a, b], k]) => checked(new Invite(a, b, k))) },
  { weight: 3, arbitrary: fc.tuple(names, room).map(([a, k]) => checked(new JoinRoom(a, k))) },
  { weight: 1, arbitrary: fc.tuple(names, room).map(([a, k]) => checked(new LeaveRoom(a, k))) },
  {
    weight: 2,
    arbitrary: fc.tuple(two, room).map(([[a, b], k]) => checked(new RemoveMember(a, b, k))),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(two, room).map(([[a, b], k]) => checked(new MakeAdmin(a, b, k))),
  },
  { weight: 1, arbitrary: fc.tuple(names, room).map(([a, k]) => checked(new DeleteRoom(a, k))) },
  { weight: 3, arbitrary: fc.tuple(names, room).map(([a, k]) => checked(new SendToRoom(a, k))) },
  {
    weight: 2,
    arbitrary: fc.tuple(names, fc.nat(20), fc.constantFrom("edit" as const, "delete" as const))
      .map(([a, k, kind]) => checked(new ChangeOwn(a, k, kind))),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(names, fc.nat(20), fc.constantFrom("👍", "🎉"), fc.boolean())
      .map(([a, k, emoji, on]) => checked(new React(a, k, emoji, on))),
  },
  { weight: 2, arbitrary: fc.tuple(names, fc.nat(20)).map(([a, k]) => checked(new Reply(a, k))) },
];

Deno.test({
  name: "random sequences of what people do keep every invariant",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const stepsRun: number[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(...commands), { minLength: STEPS / 2, maxLength: STEPS }),
        async (cmds) => {
          const dataDir = await Deno.makeTempDir({ prefix: "ugochat-model-" });
          const real: Real = {
            server: await startTestServer({ ...ENV, DATA_DIR: dataDir }),
            dataDir,
            clients: new Map(),
            ids: new Map(),
            sockets: new Map(),
            sent: new Map(),
            checkedFrames: new WeakMap(),
            steps: 0,
            lingering: new Set(),
          };
          const model: Model = {
            registered: new Set(),
            friends: new Set(),
            blocks: new Set(),
            sockets: new Map(),
            rooms: [],
          };
          try {
            for (const name of FOUNDERS) await new Register(name).run(model, real);
            for (const cmd of cmds) if (cmd.check(model)) await cmd.run(model, real);
          } finally {
            stepsRun.push(real.steps);
            for (const list of real.sockets.values()) await Promise.all(list.map((s) => s.close()));
            await real.server.shutdown();
            await Deno.remove(dataDir, { recursive: true });
          }
        },
      ),
      {
        numRuns: RUNS,
        seed: Deno.env.get("SEED") ? Number(Deno.env.get("SEED")) : undefined,
        verbose: 1,
      },
    );
    const total = stepsRun.reduce((a, b) => a + b, 0);
    console.log(
      `model: ${stepsRun.length} runs, ${total} steps executed and checked (${stepsRun.join(" ")})`,
    );
    assert.ok(total >= RUNS * 5, "the runs did real work, not only skipped steps");
  },
});
