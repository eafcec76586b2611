// Password rules and hashing. argon2id with OWASP's parameters; the parameters
// travel inside the encoded hash, so they can be raised later without a migration.
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { AppError } from "./errors.ts";

export const MIN_PASSWORD_CHARS = 12;
export const MAX_PASSWORD_CHARS = 256;
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id: a const enum, which isolated modules cannot read
const ARGON2 = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

// Common passwords long enough to pass the length rule; compared case-insensitively.
const COMMON = new Set([
  "123456789012",
  "1234567890123",
  "12345678901234",
  "123456789abc",
  "1234567890qwerty",
  "111111111111",
  "000000000000",
  "123123123123",
  "aaaaaaaaaaaa",
  "abcdefghijkl",
  "password1234",
  "password12345",
  "password123!",
  "passwordpassword",
  "password1password1",
  "qwertyuiopas",
  "qwerty123456",
  "qwertyqwerty",
  "1qaz2wsx3edc",
  "qazwsxedcrfv",
  "iloveyou1234",
  "letmein12345",
  "welcome12345",
  "administrator",
  "changeme1234",
  "correcthorsebatterystaple",
  "trustno1trustno1",
  "football1234",
  "baseball1234",
  "sunshine1234",
  "princess1234",
  "monkey123456",
  "dragon123456",
  "superman1234",
  "starwars1234",
  "whatever1234",
  "ugochatugochat",
  "ugochat12345",
  "chatpassword",
]);

export function passwordProblem(password: string): string | undefined {
  const length = [...password].length; // characters, not UTF-16 units
  if (length < MIN_PASSWORD_CHARS) return `Use at least ${MIN_PASSWORD_CHARS} characters.`;
  if (length > MAX_PASSWORD_CHARS) return `Use at most ${MAX_PASSWORD_CHARS} characters.`;
  if (COMMON.has(password.toLowerCase())) return "This password is too common; choose another.";
  return undefined;
}

/** Runs password hashing a few at a time: each costs 19 MiB, and a flood must not starve the chat. */
export function createHasher(concurrency: number, queueMax: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queueMax) {
        throw new AppError(503, "busy", "The server is busy; try again in a moment.", undefined, {
          "Retry-After": "2",
        });
      }
      await new Promise<void>((go) => waiting.push(go));
    } else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }
  let dummy: Promise<string> | undefined;
  const counts = { hashed: 0, verified: 0 };
  return {
    /** How many hashes and verifications ran: tests use it to see that throttling spares the CPU. */
    counts,
    hash: (password: string) => limited(() => (counts.hashed++, hash(password, ARGON2))),
    verify: (encoded: string, password: string) =>
      limited(() => (counts.verified++, verify(encoded, password))),
    /** Spends the same effort as a real check, for usernames that do not exist. */
    verifyDummy: async (password: string) => {
      dummy ??= hash("not anybody's password, only spent time", ARGON2);
      const encoded = await dummy;
      await limited(() => (counts.verified++, verify(encoded, password)));
      return false;
    },
  };
}

export type Hasher = ReturnType<typeof createHasher>;
