import { config } from "../../../config";
import { createDb } from "../../../db/client";
import { seedDemoAccount } from "../../../demo/demo-account";
import { seedDemoData } from "../../../demo/seed";
import { NotFoundError } from "../../../errors";
import type { Router } from "../../router";

/**
 * Local development only (LOCAL_DEV=true comes from .dev.vars, which is never deployed): the start
 * command calls this to load the demo organization. Elsewhere the route does not exist.
 */
export default (app: Router) =>
  app.post("/seed", async (c) => {
    if (!config(c.env).localDev) throw new NotFoundError("Route");
    const now = new Date();
    const account = await seedDemoAccount(createDb(c.env.DB), now);
    const started = Date.now();
    const counts = await seedDemoData(c.env.DB, account.organizationId, { now });
    return c.json({ login: { email: account.email, password: account.password }, counts, seedMs: Date.now() - started });
  });
