import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../env";
import { log } from "../lib/log";

export type ErrorDetail = { path?: string; message: string; code?: string };

/** Every failure that reaches a client is one of these, thrown by a service or a middleware. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: ErrorDetail[]) {
    super(400, "validation_failed", message, details);
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "Authentication required") {
    super(401, "unauthorized", message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = "Your role does not allow this action") {
    super(403, "forbidden", message);
  }
}
export class NotFoundError extends AppError {
  constructor(what = "Resource") {
    super(404, "not_found", `${what} not found`);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, "conflict", message);
  }
}

export function errorBody(c: Context<AppEnv>, code: string, message: string, details?: ErrorDetail[]) {
  return { error: { code, message, ...(details ? { details } : {}), requestId: c.get("requestId") } };
}

/** The one error handler: known errors keep their status, anything else is a logged 500. */
export function handleError(err: Error, c: Context<AppEnv>) {
  if (err instanceof AppError) {
    for (const [k, v] of Object.entries(err.headers ?? {})) c.header(k, v);
    return c.json(errorBody(c, err.code, err.message, err.details), err.status);
  }
  if (err instanceof SyntaxError) {
    return c.json(errorBody(c, "invalid_json", "The request body is not valid JSON"), 400);
  }
  log("error", "unhandled error", { requestId: c.get("requestId"), error: err.message, stack: err.stack });
  return c.json(errorBody(c, "internal_error", "Something went wrong on our side"), 500);
}

export function zodIssuesToDetails(issues: readonly { path: PropertyKey[]; message: string; code: string }[]) {
  return issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message, code: i.code }));
}
