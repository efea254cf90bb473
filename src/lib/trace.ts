/** W3C trace context: one trace id per execution, a fresh span id per hop. */
const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");

export const newTraceId = () => hex(16);

/** Undefined when there is no trace to continue (rows written before trace ids existed). */
export const traceparentOf = (traceId: string | null | undefined) => (traceId ? `00-${traceId}-${hex(8)}-01` : undefined);

export function traceIdOf(traceparent: string | undefined): string | undefined {
  return traceparent?.split("-")[1];
}
