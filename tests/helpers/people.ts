// People who know their names, registered on a real test server, each with their own
// cookie jar: `const { alice, bob } = await people(server, "alice", "bob"); await alice.befriend(bob)`.
import { type Client, createClient } from "./client.ts";
import { befriend, openChat, openDirect } from "./socket.ts";

export type Person = Client & {
  readonly name: string;
  readonly id: number;
  /** Asks `other` to be friends, and `other` accepts. */
  befriend(other: Person): Promise<void>;
  /** Opens a chat socket and waits for its snapshot. */
  chat(options?: Parameters<typeof openChat>[2]): ReturnType<typeof openChat>;
  /** The direct conversation with a friend (opened when missing). */
  directWith(other: Person): Promise<number>;
};

export async function people<const N extends string>(
  server: { origin: string },
  ...names: N[]
): Promise<Record<N, Person>> {
  const found = {} as Record<N, Person>;
  for (const name of names) {
    const client = createClient(server.origin);
    const { id } = await client.register(name);
    found[name] = Object.assign(client, {
      name,
      id,
      befriend: (other: Person) => befriend(client, name, other, other.name),
      chat: (options?: Parameters<typeof openChat>[2]) => openChat(server.origin, client, options),
      directWith: (other: Person) => openDirect(client, other.name),
    });
  }
  return found;
}
