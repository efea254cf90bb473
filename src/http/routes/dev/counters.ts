import { config } from "../../../config";
import { NotFoundError } from "../../../errors";
import { counters, resetCounters, snapshot } from "../../../lib/instrument/counters";
import type { Router } from "../../router";

/**
 * Local development only: what the counting bindings (BENCH_COUNTERS) saw since the last reset, for
 * the end-to-end benchmark (bench/drain.mjs). `?top=` says how many statements to list (default 50).
 * Elsewhere the routes do not exist.
 */
export default (app: Router) => {
  app.get("/counters", (c) => {
    const cfg = config(c.env);
    if (!cfg.localDev) throw new NotFoundError("Route");
    const top = Math.min(Math.max(Number(c.req.query("top") ?? 50), 0) || 0, 1000);
    return c.json({ enabled: cfg.benchCounters, ...snapshot(counters(), top) });
  });
  app.post("/counters/reset", (c) => {
    const cfg = config(c.env);
    if (!cfg.localDev) throw new NotFoundError("Route");
    return c.json({ enabled: cfg.benchCounters, since: resetCounters().since });
  });
};
