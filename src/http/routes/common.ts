import { z } from "@hono/zod-openapi";
import type { Role } from "../../db/schema";
import { idempotent } from "../middleware/idempotency";

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: "validation_failed" }),
      message: z.string(),
      details: z.array(z.object({ path: z.string().optional(), message: z.string(), code: z.string().optional() })).optional(),
      requestId: z.string(),
    }),
  })
  .openapi("Error");

export const errorResponse = (description: string) => ({
  content: { "application/json": { schema: ErrorSchema } },
  description,
});

/** The error answers every authenticated endpoint can give, for the OpenAPI document. */
export const authErrors = {
  400: errorResponse("Invalid input; nothing was changed"),
  401: errorResponse("No valid session"),
  403: errorResponse("The caller's role does not allow this"),
  404: errorResponse("Not found in the caller's organization"),
} as const;

const binary = { schema: z.string().openapi({ format: "binary" }) };
/** A report file as it is served: with its own type (CSV, gzipped CSV, XLSX or PDF), never as octet-stream. */
export const reportFileContent = {
  "text/csv": binary,
  "application/gzip": binary,
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": binary,
  "application/pdf": binary,
};

/** For operations that add to what an organization's quotas count (reports, recipients, runs, retention). */
export const quotaError = { 422: errorResponse("Over one of the organization's quotas (quota_exceeded); nothing was changed") } as const;

/** For the public sign-in and sign-up operations, limited per address (AUTH_LIMITER). */
export const tooManyAttempts = { 429: errorResponse("Too many attempts from this address; Retry-After says when to try again (rate_limited)") } as const;

export const conflictError = { 409: errorResponse("Conflicts with the current state") } as const;

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { "application/json": { schema } },
  description,
});

export const jsonBody = <T extends z.ZodType>(schema: T) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

export const IdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const PaginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
});

export const pageSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const bearerSecurity = [{ Bearer: [] }];

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: { name: "idempotency-key", in: "header" },
      description: "Repeat this request safely: the same key with the same body within 24 hours returns the first response without doing anything again",
      example: "4f1c2a7e-run-2026-11-30",
    }),
});

/**
 * A POST that creates or starts something: it honours Idempotency-Key (see middleware/idempotency.ts).
 * `middleware(role)` names the route's least role, checked before a stored answer is replayed.
 */
export const idempotentPost = {
  middleware: (minimum: Role) => [idempotent(minimum)],
  idempotencyErrors: {
    409: errorResponse("A request with this Idempotency-Key is still being processed (idempotency_key_in_use)"),
    422: errorResponse("This Idempotency-Key was used with a different request (idempotency_key_reused)"),
  },
};
