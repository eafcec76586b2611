// Expects a domain verb to refuse with an AppError of this code (and status, when given).
import assert from "node:assert/strict";
import { AppError } from "../../lib/errors.ts";
import type { ErrorCode } from "../../lib/wire.ts";

export async function refused(work: Promise<unknown>, code: ErrorCode, status?: number) {
  await assert.rejects(work, (error) => {
    assert.ok(error instanceof AppError, String(error));
    assert.equal(error.code, code, error.message);
    if (status) assert.equal(error.status, status);
    return true;
  });
}
