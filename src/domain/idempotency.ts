import { and, eq, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { idempotencyKeys } from "../db/schema";

/*
 * Idempotency keys (the Stripe convention): the first request with a key holds it while it runs and
 * then stores its response; a repeat with the same key and the same request gets that response back
 * for 24 hours; the same key with another request is refused. Keys are the caller's own: scoped to
 * the organization and the actor (a user or an API key), so that nobody is replayed another's
 * answer, and nobody can take a key another caller's automation will use.
 */
export const IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** How long a request may hold its key unfinished: a request that crashed frees it then. */
const HOLD_MS = 60_000;

export type IdempotencyClaim = { kind: "claimed" } | { kind: "replay"; status: number; body: string } | { kind: "reused" } | { kind: "in_progress" };

type KeyRef = { organizationId: string; actorId: string; key: string };

/**
 * Takes the key for this request in one statement: a new key, an expired one, or one whose holder
 * crashed (same request, hold over) is taken; otherwise the existing row says what to answer.
 */
export async function claimIdempotencyKey(db: Db, ref: KeyRef & { requestHash: string }, now: Date): Promise<IdempotencyClaim> {
  const row = {
    ...ref,
    status: "in_progress" as const,
    responseStatus: null,
    responseBody: null,
    createdAt: now,
    lockedUntil: new Date(now.getTime() + HOLD_MS),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS),
  };
  const { organizationId: _o, actorId: _a, key: _k, ...takeover } = row;
  const taken = await db
    .insert(idempotencyKeys)
    .values(row)
    .onConflictDoUpdate({
      target: [idempotencyKeys.organizationId, idempotencyKeys.actorId, idempotencyKeys.key],
      set: takeover,
      setWhere: or(
        lte(idempotencyKeys.expiresAt, now),
        and(eq(idempotencyKeys.status, "in_progress"), lte(idempotencyKeys.lockedUntil, now), eq(idempotencyKeys.requestHash, sql`excluded.request_hash`)),
      ),
    })
    .returning({ key: idempotencyKeys.key });
  if (taken.length > 0) return { kind: "claimed" };
  const [existing] = await db.select().from(idempotencyKeys).where(scoped(ref));
  if (!existing) return { kind: "in_progress" }; // expired and removed between the two statements: let the client retry
  if (existing.requestHash !== ref.requestHash) return { kind: "reused" };
  if (existing.status === "done" && existing.responseStatus !== null)
    return { kind: "replay", status: existing.responseStatus, body: existing.responseBody ?? "" };
  return { kind: "in_progress" };
}

export async function completeIdempotencyKey(db: Db, ref: KeyRef, response: { status: number; body: string }) {
  await db
    .update(idempotencyKeys)
    .set({ status: "done", responseStatus: response.status, responseBody: response.body })
    .where(and(scoped(ref), eq(idempotencyKeys.status, "in_progress")));
}

/** The request failed in a way a retry may fix (5xx, rate limited), or was refused (401, 403, 404): the key is free again. */
export async function releaseIdempotencyKey(db: Db, ref: KeyRef) {
  await db.delete(idempotencyKeys).where(and(scoped(ref), eq(idempotencyKeys.status, "in_progress")));
}

const scoped = (ref: KeyRef) =>
  and(eq(idempotencyKeys.organizationId, ref.organizationId), eq(idempotencyKeys.actorId, ref.actorId), eq(idempotencyKeys.key, ref.key));
