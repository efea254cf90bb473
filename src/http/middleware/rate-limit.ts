import type { Context, MiddlewareHandler } from "hono";
import { enforceRateLimit } from "../../domain/rate-limit";
import type { AppEnv } from "../../env";

export const clientIp = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

/** Per IP on sign-up and sign-in (and per email on sign-in, so one account cannot be hammered from many IPs). */
export const authRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const keys = [`ip:${clientIp(c)}`];
  if (c.req.path.endsWith("/login")) {
    const body = (await c.req.raw
      .clone()
      .json()
      .catch(() => null)) as { email?: unknown } | null;
    if (typeof body?.email === "string") keys.push(`email:${body.email.toLowerCase()}`);
  }
  await enforceRateLimit(c.env.AUTH_LIMITER, keys, "sign-in attempts");
  await next();
};

/** Per user on every authenticated call (runs after requireAuth). */
export const apiRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  await enforceRateLimit(c.env.API_LIMITER, [`user:${c.get("auth").userId}`], "requests");
  await next();
};
