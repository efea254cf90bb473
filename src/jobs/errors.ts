/** A failure that another attempt cannot fix (deleted report, invalid parameters): no retry. */
export class PermanentError extends Error {
  override name = "PermanentError";
}

/** Anything else (D1, R2, a timeout, a 429 from Browser Rendering) is worth another attempt. */
export const isRetryable = (err: unknown) => !(err instanceof PermanentError) && !(err instanceof Error && err.name === "ZodError");

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);
