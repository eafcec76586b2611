// GET /healthz: 200 { ok: true } while every dependency answers; else 503 naming those that
// do not, for a load balancer to route around and an operator to read.
import { Hono } from "hono";
import type { Broker } from "../lib/realtime/broker.ts";
import type { Store } from "../lib/store/types.ts";

/** A dependency's name and how to ask whether it answers. */
type HealthCheck = { name: "database" | "broker"; answers: () => Promise<boolean> };

export function healthRoutes(store: Store, broker: Pick<Broker, "ready">) {
  const checks: HealthCheck[] = [
    { name: "database", answers: () => store.ping() },
    { name: "broker", answers: () => Promise.resolve(broker.ready?.() ?? true) },
  ];
  return new Hono().get("/healthz", async (c) => {
    const answers = await Promise.all(checks.map((check) => check.answers().catch(() => false)));
    const down = checks.filter((_, i) => !answers[i]).map((check) => check.name);
    return down.length ? c.json({ ok: false, down }, 503) : c.json({ ok: true });
  });
}
