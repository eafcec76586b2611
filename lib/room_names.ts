// What a room may be called, and its topic: one line each, trimmed, counted in characters
// (not UTF-16 units), without control characters or broken Unicode.
import { AppError } from "./errors.ts";
import { MAX_ROOM_NAME_CHARS, MAX_ROOM_TOPIC_CHARS } from "./wire.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\u0000-\u001F\u007F]/;

function check(field: "name" | "topic", text: string, min: number, max: number): string {
  const trimmed = text.trim();
  const refuse = (message: string) =>
    new AppError(400, "invalid_input", message, { [field]: message });
  const label = field === "name" ? "A room's name" : "A topic";
  if (trimmed.length < min) throw refuse(`${label} cannot be empty.`);
  if ([...trimmed].length > max) throw refuse(`${label} holds at most ${max} characters.`);
  if (!trimmed.isWellFormed()) throw refuse(`${label} holds a broken character.`);
  if (CONTROL.test(trimmed)) throw refuse(`${label} is one line, without control characters.`);
  return trimmed;
}

/** The name as it will be stored: 1–64 characters after trimming. */
export const checkRoomName = (name: string) => check("name", name, 1, MAX_ROOM_NAME_CHARS);

/** The topic as it will be stored: up to 256 characters after trimming, empty allowed. */
export const checkTopic = (topic: string) => check("topic", topic, 0, MAX_ROOM_TOPIC_CHARS);
