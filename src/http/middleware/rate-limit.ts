import type { Context, MiddlewareHandler } from "hono";
import { enforceRateLimit } from "../../domain/rate-limit";
import type { AppEnv } from "../../env";

export const clientIp = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

/**
 * Per IP on sign-up and sign-in, and on sign-in per (email, IP): guessing one account's password from
 * one address is stopped, while attempts from other addresses cannot lock its owner out (a correct
 * password from an address without failures is not refused because others failed).
 */
export const authRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = clientIp(c);
  const keys = [`ip:${ip}`];
  if (c.req.path.endsWith("/login")) {
    const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
    if (typeof body?.email === "string") keys.push(`email:${body.email.toLowerCase()}:ip:${ip}`);
  }
  await enforceRateLimit(c.env.AUTH_LIMITER, keys, "sign-in attempts");
  await next();
};

/** Per user or API key on every authenticated call (runs after requireAuth). */
export const apiRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  await enforceRateLimit(c.env.API_LIMITER, [`actor:${c.get("auth").actorId}`], "requests");
  await next();
};
