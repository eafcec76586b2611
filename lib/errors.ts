// One error type for expected failures; one handler (in app.tsx) answers them.
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ErrorCode } from "./wire.ts";

export type { ErrorCode };

export type FieldErrors = Record<string, string>;

export class AppError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldErrors,
    readonly headers: Record<string, string> = {},
  ) {
    super(status, { message });
  }
}

export function errorBody(code: ErrorCode, message: string, fields?: FieldErrors) {
  return { error: fields ? { code, message, fields } : { code, message } };
}
