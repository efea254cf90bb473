import { ZodError } from "zod";
import { ConfigError } from "../../config";
import { type ErrorClass, JobError } from "../../errors";

/**
 * The class of a failed attempt and whether another attempt can help, from the error's type: the
 * steps of a run throw JobErrors that say which step failed (query, render, upload). Invalid
 * parameters and a bad configuration are final; anything unexpected is ours and retried.
 */
export function classifyFailure(err: unknown): { errorClass: ErrorClass; retryable: boolean } {
  if (err instanceof JobError) return { errorClass: err.errorClass, retryable: err.retryable };
  if (err instanceof ZodError || err instanceof ConfigError) return { errorClass: "configuration", retryable: false };
  return { errorClass: "internal", retryable: true };
}

/** Runs one step of a run; an untyped failure in it is given the step's class (a typed one keeps its own). */
export async function step<T>(errorClass: ErrorClass, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw asJobError(err, errorClass);
  }
}

export function asJobError(err: unknown, errorClass: ErrorClass): unknown {
  if (err instanceof JobError || err instanceof ZodError || err instanceof ConfigError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new JobError(errorClass, message, true, { cause: err });
}
