import { sha256Hex } from "../lib/secrets";

/** Test messages one address may receive an hour, from any organization. */
export const TEST_SENDS_PER_ADDRESS_PER_HOUR = 3;
const HOUR_MS = 3_600_000;

/** How an address is counted: its type and value, lower-cased, hashed (the table holds no address). */
const addressHashOf = (recipient: { type: string; value: string }) => sha256Hex(`${recipient.type}:${recipient.value.trim().toLowerCase()}`);

/**
 * Counts one test send to the address if it had fewer than TEST_SENDS_PER_ADDRESS_PER_HOUR in the
 * hour before `now`; otherwise says when the oldest of those leaves the hour. One statement, so
 * concurrent test sends cannot both take the last one.
 */
export async function claimTestSend(
  d1: D1Database,
  recipient: { type: string; value: string },
  organizationId: string,
  now: Date,
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const hash = await addressHashOf(recipient);
  const since = now.getTime() - HOUR_MS;
  const claimed = await d1
    .prepare(
      `insert into test_sends (id, address_hash, organization_id, sent_at)
       select ?1, ?2, ?3, ?4 where (select count(*) from test_sends where address_hash = ?2 and sent_at > ?5) < ?6`,
    )
    .bind(crypto.randomUUID(), hash, organizationId, now.getTime(), since, TEST_SENDS_PER_ADDRESS_PER_HOUR)
    .run();
  if (claimed.meta.changes) return { ok: true };
  const oldest = await d1
    .prepare(`select sent_at as at from test_sends where address_hash = ?1 and sent_at > ?2 order by sent_at limit 1`)
    .bind(hash, since)
    .first<{ at: number }>();
  const freeAt = (oldest?.at ?? now.getTime()) + HOUR_MS;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freeAt - now.getTime()) / 1000)) };
}

/** For retention: the statement that forgets test sends older than a day. */
export const pruneTestSendsStatement = (d1: D1Database, now: Date) =>
  d1.prepare("delete from test_sends where sent_at < ?1").bind(now.getTime() - 24 * HOUR_MS);
