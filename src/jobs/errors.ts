/** A failure that another attempt cannot fix (deleted report, invalid parameters): no retry. */
export class PermanentError extends Error {
  override name = "PermanentError";
}

/** Anything else (D1, R2, a timeout, a 429 from Browser Rendering) is worth another attempt. */
export const isRetryable = (err: unknown) => !(err instanceof PermanentError) && !(err instanceof Error && err.name === "ZodError");

export const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 2000);

export const ERROR_CLASSES = ["configuration", "timeout", "database", "storage", "browser", "lost", "internal"] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** A coarse cause for metrics and alerts ("failures by error type"), from the error itself. */
export function classifyError(err: unknown): ErrorClass {
  const message = errorMessage(err);
  if (err instanceof PermanentError || (err instanceof Error && err.name === "ZodError")) return "configuration";
  if ((err instanceof Error && /timeout/i.test(err.name)) || /timed out|took longer|did not finish/i.test(message)) return "timeout";
  if (/D1_|SQLITE|database/i.test(message)) return "database";
  if (/R2|bucket|multipart|upload/i.test(message)) return "storage";
  if (/browser|puppeteer|protocol error|target closed|session/i.test(message)) return "browser";
  return "internal";
}
