import type { Context, MiddlewareHandler } from "hono";
import { enforceRateLimit } from "../../domain/rate-limit";
import type { AppEnv } from "../../env";

export const clientIp = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

/**
 * Per IP on sign-up, sign-in, invitations and password resets; on sign-in also per (email, IP):
 * guessing one account's password from one address is stopped, while attempts from other addresses
 * cannot lock its owner out (a correct password from an address without failures is not refused
 * because others failed). A password reset request also counts per email address, from whatever IP,
 * so that nobody can flood one mailbox with reset links.
 */
export const authRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ip = clientIp(c);
  const keys = [`ip:${ip}`];
  const login = c.req.path.endsWith("/auth/login");
  const resetRequest = c.req.path.endsWith("/auth/password-reset");
  if (login || resetRequest) {
    const body = (await c.req.json().catch(() => null)) as { email?: unknown } | null;
    const email = typeof body?.email === "string" ? body.email.toLowerCase() : null;
    if (email) keys.push(login ? `email:${email}:ip:${ip}` : `reset:${email}`);
  }
  await enforceRateLimit(c.env.AUTH_LIMITER, keys, resetRequest ? "password reset requests" : "sign-in attempts");
  await next();
};

/**
 * Changing one's password (called by the handler once the body is valid, after requireAuth): like
 * sign-in, per IP and per user, so a stolen session cannot guess the current password. A malformed
 * request is refused before it counts as an attempt.
 */
export const limitPasswordAttempts = (c: Context<AppEnv>) =>
  enforceRateLimit(c.env.AUTH_LIMITER, [`ip:${clientIp(c)}`, `password:${c.get("auth").actorId}`], "password attempts");

/**
 * On every authenticated call (runs after requireAuth): per user or API key, and per organization
 * (ORG_API_LIMITER), so that each new API key does not bring another minute's budget with it.
 */
export const apiRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = c.get("auth");
  await Promise.all([
    enforceRateLimit(c.env.API_LIMITER, [`actor:${auth.actorId}`], "requests"),
    enforceRateLimit(c.env.ORG_API_LIMITER, [`org:${auth.organizationId}`], "requests from this organization"),
  ]);
  await next();
};
