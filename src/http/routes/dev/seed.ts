import { config } from "../../../config";
import { seedDemo } from "../../../demo/demo-account";
import { NotFoundError } from "../../../errors";
import type { Router } from "../../router";

/**
 * Local development only (LOCAL_DEV=true comes from .dev.vars, which is never deployed): the start
 * command calls this to load the demo organization. Elsewhere the route does not exist.
 */
export default (app: Router) =>
  app.post("/seed", async (c) => {
    if (!config(c.env).localDev) throw new NotFoundError("Route");
    const started = Date.now();
    const { login, counts } = await seedDemo(c.env.DB, new Date());
    return c.json({ login, counts, seedMs: Date.now() - started });
  });
