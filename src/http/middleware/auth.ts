import { and, eq, gt, isNull } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { createDb } from "../../db/client";
import { sessions, users } from "../../db/schema";
import type { AppEnv } from "../../env";
import { UnauthorizedError } from "../../errors";
import { tokenConfig, verifySessionToken } from "../../lib/tokens";

export const SESSION_COOKIE = "sr_session";

function readToken(authorization: string | undefined, cookie: string | undefined): string | undefined {
  if (authorization) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    return m?.[1];
  }
  return cookie;
}

/**
 * A valid signature is not enough: the session must still exist (logout revokes it) and the
 * user must still belong to the organization named in the token, with the role read fresh.
 */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = readToken(c.req.header("authorization"), getCookie(c, SESSION_COOKIE));
  if (!token) throw new UnauthorizedError();
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
  c.set("auth", { ...row, sessionId: claims.jti });
  await next();
};
