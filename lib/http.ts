// Reading requests at the edge: JSON bodies through zod, the client's address, our origin.
import type { Context } from "hono";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { z } from "zod";
import type { Config } from "./config.ts";
import { AppError, type FieldErrors } from "./errors.ts";

export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("Content-Type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new AppError(
      415,
      "unsupported_media_type",
      "Send a JSON body with Content-Type: application/json.",
    );
  }
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new AppError(400, "invalid_json", "The body is not valid JSON.");
  }
  return parseInput(schema, body);
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const key = issue.path.length ? String(issue.path[0]) : "body";
    fields[key] ??= issue.message;
  }
  throw new AppError(400, "invalid_input", Object.values(fields)[0], fields);
}

/** The client's address: the peer's, or with TRUST_PROXY the last X-Forwarded-For hop. */
export function clientAddress(c: Context, config: Config): string {
  if (config.TRUST_PROXY) {
    const forwarded = c.req.header("X-Forwarded-For")?.split(",").at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown"; // app.request() in tests has no connection
  }
}

/** The origin users reach us at: PUBLIC_ORIGIN, or the request's own. */
export function ourOrigin(c: Context, config: Config): string {
  return config.PUBLIC_ORIGIN ?? new URL(c.req.url).origin;
}
