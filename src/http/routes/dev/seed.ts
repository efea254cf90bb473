import type { MiddlewareHandler } from "hono";
import { config } from "../../../config";
import { seedDemo } from "../../../demo/demo-account";
import type { AppEnv } from "../../../env";
import { NotFoundError } from "../../../errors";
import { requireOperator } from "../../middleware/operator-auth";
import type { Router } from "../../router";

/** Elsewhere than under local development the route does not exist (404 before any credential is looked at). */
const localDevOnly: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!config(c.env).localDev) throw new NotFoundError("Route");
  await next();
};

/**
 * Local development only (LOCAL_DEV=true comes from .dev.vars, which is never deployed): the start
 * command calls this to load the demo organization. It answers with the demo login, so even on a
 * shared development instance it needs the local operator token (OPERATOR_TOKEN in .dev.vars, #23).
 */
export default (app: Router) =>
  app.post("/seed", localDevOnly, requireOperator, async (c) => {
    const started = Date.now();
    const { login, counts } = await seedDemo(c.env.DB, new Date());
    return c.json({ login, counts, seedMs: Date.now() - started });
  });
