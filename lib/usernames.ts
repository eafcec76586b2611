// Usernames are compared after NFKC and lower-casing, so "Alice" and "ａｌｉｃｅ" are one name.
export const USERNAME_PATTERN = /^[a-z0-9_.-]{3,32}$/;
const RESERVED = new Set([
  "system",
  "lobby",
  "admin",
  "administrator",
  "root",
  "ugochat",
  "support",
  "moderator",
  "room",
  "everyone",
  "here",
  "me",
  "api",
  "null",
  "undefined",
]);

export function normalizeUsername(input: string): string {
  return input.normalize("NFKC").toLowerCase().trim();
}

export const MAX_USERNAME_CHARS = 32;

export function usernameProblem(normalized: string): string | undefined {
  if (normalized.length < 3) return "Use at least 3 characters.";
  if (normalized.length > MAX_USERNAME_CHARS) {
    return `Use at most ${MAX_USERNAME_CHARS} characters.`;
  }
  if (!USERNAME_PATTERN.test(normalized)) return "Use only letters a–z, digits and _ . -";
  if (RESERVED.has(normalized)) return "This name is reserved.";
  return undefined;
}
