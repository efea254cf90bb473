import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createDb } from "../db/client";
import type { AppEnv } from "../env";
import { ValidationError, zodIssuesToDetails } from "../errors";
import type { ServiceContext } from "../services/context";
import { requireAuth } from "./middleware/auth";
import { apiRateLimit } from "./middleware/rate-limit";

export type Router = OpenAPIHono<AppEnv>;

/** Every router shares one validation hook, so a bad request always gets the same envelope. */
export function newRouter(): Router {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new ValidationError("The request is not valid", zodIssuesToDetails(result.error.issues));
      }
    },
  });
}

/** A router whose every route needs a session (and counts against the caller's API rate). */
export function protectedRouter(): Router {
  const router = newRouter();
  router.use("*", requireAuth, apiRateLimit);
  return router;
}

/** What a verb that runs without a user (sign-up, sign-in, the operator API) receives. */
export function requestContext(c: Context<AppEnv>) {
  return { db: createDb(c.env.DB), env: c.env, now: new Date() };
}

export function serviceContext(c: Context<AppEnv>): ServiceContext {
  return { ...requestContext(c), auth: c.get("auth") };
}
