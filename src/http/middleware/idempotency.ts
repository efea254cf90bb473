import type { MiddlewareHandler } from "hono";
import { createDb } from "../../db/client";
import type { Role } from "../../db/schema";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "../../domain/idempotency";
import { requireRole } from "../../domain/policy";
import type { AppEnv } from "../../env";
import { DomainError, ValidationError } from "../../errors";
import { sha256Hex } from "../../lib/secrets";

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/** Answers that say who may not do what: never kept, so that none can be replayed or block a key. */
const REFUSALS = new Set([401, 403, 404]);

/**
 * Honours `Idempotency-Key` on a POST that creates or starts something (runs after requireAuth):
 * the first request's status and body are replayed to a repeat by the same caller (organization and
 * actor: a user or an API key) with the same key and body for 24 hours, without doing anything
 * again; the key with another body is 422; a repeat while the first still runs is 409. The caller's
 * role is checked against the route's least role before a replay, so a caller demoted since is
 * refused rather than replayed. A 5xx or 429 is not stored, so a retry really retries; a 401, 403 or
 * 404 is not stored either.
 */
export const idempotent =
  (minimum: Role): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const key = c.req.header("idempotency-key");
    if (key === undefined) return next();
    if (!KEY_RE.test(key)) {
      throw new ValidationError("The Idempotency-Key header is not valid", [{ path: "Idempotency-Key", message: "1 to 255 visible ASCII characters" }]);
    }
    const auth = c.get("auth");
    requireRole(auth, minimum);
    const db = createDb(c.env.DB);
    const ref = { organizationId: auth.organizationId, actorId: auth.actorId, key };
    const requestHash = await sha256Hex(`${c.req.method} ${c.req.path}\n${await c.req.text()}`);
    const claim = await claimIdempotencyKey(db, { ...ref, requestHash }, new Date());
    if (claim.kind === "replay") {
      return c.body(claim.body, claim.status as 200, { "content-type": "application/json", "idempotent-replayed": "true" });
    }
    if (claim.kind === "reused") {
      throw new DomainError("idempotency_key_reused", "This Idempotency-Key was used with a different request; use a new key for a new request");
    }
    if (claim.kind === "in_progress") {
      throw new DomainError("idempotency_key_in_use", "A request with this Idempotency-Key is still being processed; retry shortly", undefined, 1);
    }
    try {
      await next();
    } catch (err) {
      await releaseIdempotencyKey(db, ref);
      throw err;
    }
    const status = c.res.status;
    if (status >= 500 || status === 429 || REFUSALS.has(status)) await releaseIdempotencyKey(db, ref);
    else await completeIdempotencyKey(db, ref, { status, body: await c.res.clone().text() });
  };
