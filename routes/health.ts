import { Hono } from "hono";
import type { Store } from "../lib/store/types.ts";

export function healthRoutes(store: Store) {
  return new Hono().get("/healthz", async (c) => {
    const ok = await store.ping();
    return c.json({ ok }, ok ? 200 : 503);
  });
}
