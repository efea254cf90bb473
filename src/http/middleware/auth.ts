import { and, eq, gt, isNull } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { config } from "../../config";
import { createDb } from "../../db/client";
import { sessions, users } from "../../db/schema";
import { authenticateApiKey, looksLikeApiKey } from "../../domain/api-keys";
import type { AppEnv } from "../../env";
import { ForbiddenError, UnauthorizedError } from "../../errors";
import { tokenConfig, verifySessionToken } from "../../lib/tokens";

/**
 * The session cookie. Outside local development it carries the __Host- prefix, so the browser only
 * accepts it from this exact origin over https, with Path=/ and no Domain (no subdomain can plant it).
 */
export const sessionCookieName = (env: Env) => (config(env).localDev ? "sr_session" : "__Host-sr_session");

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const isLoopback = (host: string) => host === "localhost" || host === "127.0.0.1" || host === "[::1]";

/**
 * A request authenticated by the cookie that changes something must come from the dashboard itself:
 * its Origin must be ours (or the browser says Sec-Fetch-Site: same-origin). A cross-site form or
 * fetch riding on the cookie is refused. Bearer tokens are never sent by a browser on its own, so
 * they need no such check. Local development also accepts any loopback origin (the dashboard's dev
 * server on another port).
 */
function isSameOrigin(c: Context<AppEnv>): boolean {
  if (c.req.header("sec-fetch-site") === "same-origin") return true;
  const origin = c.req.header("origin");
  if (!origin) return false;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  const cfg = config(c.env);
  const ours = [new URL(c.req.url).origin, new URL(cfg.appUrl).origin];
  return ours.includes(from.origin) || (cfg.localDev && isLoopback(from.hostname));
}

/**
 * Two kinds of caller: a program with an API key (`Bearer srk_…`), or a person with a session token.
 * For a session a valid signature is not enough: the session must still exist (logout revokes it)
 * and the user must still belong to the organization named in the token, with the role read fresh.
 */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const authorization = c.req.header("authorization");
  const token = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] : getCookie(c, sessionCookieName(c.env));
  if (!token) throw new UnauthorizedError();
  if (authorization && looksLikeApiKey(token)) {
    const auth = await authenticateApiKey(createDb(c.env.DB), token, new Date());
    if (!auth) throw new UnauthorizedError("Unknown, revoked or expired API key");
    c.set("auth", auth);
    return next();
  }
  if (!authorization && !SAFE_METHODS.has(c.req.method) && !isSameOrigin(c)) {
    throw new ForbiddenError("Cross-site request refused: a change made with the session cookie must come from this site");
  }
  const claims = await verifySessionToken(tokenConfig(c.env), token);
  if (!claims) throw new UnauthorizedError("Invalid or expired token");
  const [row] = await createDb(c.env.DB)
    .select({ userId: users.id, organizationId: users.organizationId, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(
        eq(sessions.id, claims.jti),
        eq(users.id, claims.sub),
        eq(users.organizationId, claims.org),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, new Date()),
      ),
    )
    .limit(1);
  if (!row) throw new UnauthorizedError("Session has ended");
  c.set("auth", { ...row, actorId: row.userId, sessionId: claims.jti, apiKeyId: null });
  await next();
};
