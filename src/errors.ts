/*
 * The one failure vocabulary of requests. Services and middleware throw these; `http/errors.ts`
 * maps each code to its HTTP status and the error envelope. The background path has its own
 * outcome type (`jobs/outcome.ts`), built on the typed `JobError` below.
 */

export const ERROR_CODES = [
  "validation_failed",
  "invalid_json",
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "file_gone",
  "link_expired",
  "payload_too_large",
  "unsupported_media_type",
  "test_delivery_failed",
  "quota_exceeded",
  "tenant_key_unmatched",
  "rate_limited",
  "idempotency_key_reused",
  "idempotency_key_in_use",
  "internal_error",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorDetail = { path?: string; message: string; code?: string };

/** A failure a caller can act on: a code from the closed list, a message for people, details per field. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds the caller should wait before asking again (rate limits). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export class ValidationError extends DomainError {
  constructor(message: string, details?: ErrorDetail[]) {
    super("validation_failed", message, details);
  }
}
export class UnauthorizedError extends DomainError {
  constructor(message = "Authentication required") {
    super("unauthorized", message);
  }
}
export class ForbiddenError extends DomainError {
  constructor(message = "Your role does not allow this action") {
    super("forbidden", message);
  }
}
export class NotFoundError extends DomainError {
  constructor(what = "Resource") {
    super("not_found", `${what} not found`);
  }
}
export class ConflictError extends DomainError {
  constructor(message: string) {
    super("conflict", message);
  }
}
export class GoneError extends DomainError {
  constructor(message: string, code: "file_gone" | "link_expired" = "file_gone") {
    super(code, message);
  }
}
export class RateLimitedError extends DomainError {
  constructor(what: string, retryAfterSeconds = 60) {
    super("rate_limited", `Too many ${what}; try again in a minute`, undefined, retryAfterSeconds);
  }
}
export class QuotaExceededError extends DomainError {
  constructor(message: string, details?: ErrorDetail[]) {
    super("quota_exceeded", message, details);
  }
}

/** A data tenant key that matches no rows in any data source (a typo would empty every report). */
export class TenantKeyUnmatchedError extends DomainError {
  constructor(message: string, details?: ErrorDetail[]) {
    super("tenant_key_unmatched", message, details);
  }
}

export function zodIssuesToDetails(issues: readonly { path: PropertyKey[]; message: string; code: string }[]): ErrorDetail[] {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, code: i.code }));
}

/*
 * Background work: why a generation failed, as a closed list of classes (metrics and alerts count
 * by it). A step that knows its cause throws a JobError with the class; anything else is
 * classified by where it came from, never by matching its message text.
 */
/**
 * `trigger_missed`: a report run by a data-ready trigger got none by its deadline (and alerts instead of running).
 * `quota_exceeded`: the organization's storage quota was used up when the run was to start.
 * `empty_result`: the query returned no rows and the report is set to fail when empty (emptyResult: "fail").
 */
export const ERROR_CLASSES = [
  "configuration",
  "query_error",
  "timeout",
  "database",
  "storage",
  "browser",
  "lost",
  "internal",
  "trigger_missed",
  "quota_exceeded",
  "empty_result",
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

export class JobError extends Error {
  override name = "JobError";
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    /** False when another attempt cannot help (a deleted report, invalid parameters, a bad configuration). */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A failure that another attempt cannot fix. */
export const permanent = (message: string, errorClass: ErrorClass = "configuration") => new JobError(errorClass, message, false);

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);
