// Named people with their own cookie jars, registered on a test server.
import { type Client, createClient } from "./client.ts";
import { befriend } from "./socket.ts";

export async function community<const N extends string>(
  origin: string,
  ...names: N[]
): Promise<Record<N, Client>> {
  const people = {} as Record<N, Client>;
  for (const name of names) {
    people[name] = createClient(origin);
    await people[name].register(name);
  }
  return people;
}

export async function friends(people: Record<string, Client>, a: string, b: string) {
  await befriend(people[a], a, people[b], b);
}

export const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
