import { and, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import type { AuthContext } from "../env";
import { randomToken, sha256Hex } from "../lib/secrets";
import { auditInsert } from "./audit";

/*
 * API keys look like `srk_<prefix>_<secret>`: the prefix (8 characters, stored in clear) lets people
 * recognise a key in a list; the whole key is 256 bits of randomness, so a fast hash (SHA-256) is
 * enough to store it (nothing to brute-force, unlike a password).
 */
export const API_KEY_MARK = "srk_";
const KEY_RE = /^srk_([A-Za-z0-9]{8})_([A-Za-z0-9_-]{43})$/;
const PREFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** How often the last-used time is written: often enough to be useful, not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export const looksLikeApiKey = (token: string) => token.startsWith(API_KEY_MARK);

export async function newApiKeySecret(): Promise<{ secret: string; prefix: string; secretHash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const prefix = [...bytes].map((b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("");
  const secret = `${API_KEY_MARK}${prefix}_${randomToken(32)}`;
  return { secret, prefix: `${API_KEY_MARK}${prefix}`, secretHash: await sha256Hex(secret) };
}

/**
 * The caller behind an API key, or null for an unknown, revoked or expired one. Marks the key used
 * (at most once a minute) and audits its first use.
 */
export async function authenticateApiKey(db: Db, token: string, now: Date): Promise<AuthContext | null> {
  if (!KEY_RE.test(token)) return null;
  const [key] = await db
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId, role: apiKeys.role, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, await sha256Hex(token)), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))))
    .limit(1);
  if (!key) return null;
  const auth: AuthContext = { organizationId: key.organizationId, role: key.role, actorId: key.id, userId: null, sessionId: null, apiKeyId: key.id };
  if (!key.lastUsedAt) {
    // Only the request that really wrote the first last-used time records the first use.
    const first = await db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(and(eq(apiKeys.id, key.id), isNull(apiKeys.lastUsedAt)))
      .returning({ id: apiKeys.id });
    if (first.length > 0) await auditInsert({ db, now, auth }, { type: "api_key.first_used", targetType: "api_key", targetId: key.id });
  } else if (now.getTime() - key.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
  }
  return auth;
}
