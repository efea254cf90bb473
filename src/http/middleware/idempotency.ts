import type { MiddlewareHandler } from "hono";
import { createDb } from "../../db/client";
import { claimIdempotencyKey, completeIdempotencyKey, releaseIdempotencyKey } from "../../domain/idempotency";
import type { AppEnv } from "../../env";
import { DomainError, ValidationError } from "../../errors";
import { sha256Hex } from "../../lib/secrets";

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

/**
 * Honours `Idempotency-Key` on a POST that creates or starts something (runs after requireAuth):
 * the first request's status and body are replayed to a repeat with the same key and body for 24
 * hours, without doing anything again; the key with another body is 422; a repeat while the first
 * still runs is 409. A 5xx or 429 is not stored, so a retry really retries.
 */
export const idempotent: MiddlewareHandler<AppEnv> = async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return next();
  if (!KEY_RE.test(key)) {
    throw new ValidationError("The Idempotency-Key header is not valid", [{ path: "Idempotency-Key", message: "1 to 255 visible ASCII characters" }]);
  }
  const db = createDb(c.env.DB);
  const ref = { organizationId: c.get("auth").organizationId, key };
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
  if (status >= 500 || status === 429) await releaseIdempotencyKey(db, ref);
  else await completeIdempotencyKey(db, ref, { status, body: await c.res.clone().text() });
};
