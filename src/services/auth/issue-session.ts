import { config } from "../../config";
import type { Db } from "../../db/client";
import { sessions } from "../../db/schema";
import { newId } from "../../lib/ids";
import { signSessionToken, tokenConfig } from "../../lib/tokens";

export type IssuedSession = { token: string; sessionId: string; expiresAt: Date };

/** Prepares a session row and its signed token; the caller writes the row (batched with its own writes). */
export async function prepareSession(env: Env, db: Db, user: { id: string; organizationId: string }, now: Date) {
  const sessionId = newId();
  const expiresAt = new Date(now.getTime() + config(env).auth.sessionTtlSeconds * 1000);
  const token = await signSessionToken(tokenConfig(env), { sub: user.id, org: user.organizationId, jti: sessionId }, expiresAt);
  const insert = db.insert(sessions).values({ id: sessionId, userId: user.id, createdAt: now, expiresAt });
  return { session: { token, sessionId, expiresAt } satisfies IssuedSession, insert };
}
