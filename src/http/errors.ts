import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { DomainError, type ErrorCode, type ErrorDetail } from "../errors";
import { log } from "../lib/log";

/** Each domain error code's HTTP status: the only place the two meet. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation_failed: 400,
  invalid_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  file_gone: 410,
  link_expired: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  test_delivery_failed: 422,
  quota_exceeded: 422,
  tenant_key_unmatched: 422,
  rate_limited: 429,
  idempotency_key_reused: 422,
  idempotency_key_in_use: 409,
  internal_error: 500,
};

export const statusOf = (code: ErrorCode) => STATUS[code];

export function errorBody(c: Context<AppEnv>, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details ? { details } : {}), requestId: c.get("requestId") } };
}

/** The one error handler: domain errors keep their code and status, anything else is a logged 500. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof DomainError) {
    if (err.retryAfterSeconds !== undefined) c.header("Retry-After", String(err.retryAfterSeconds));
    return c.json(errorBody(c, err.code, err.message, err.details), STATUS[err.code]);
  }
  if (err instanceof SyntaxError) {
    return c.json(errorBody(c, "invalid_json", "The request body is not valid JSON"), 400);
  }
  log("error", "unhandled error", { requestId: c.get("requestId"), error: err.message, stack: err.stack });
  return c.json(errorBody(c, "internal_error", "Something went wrong on our side"), 500);
}
