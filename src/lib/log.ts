export type LogLevel = "debug" | "info" | "warn" | "error";

/** One JSON object per line, so Workers Logs and `wrangler tail` can filter on any field. */
export function log(level: LogLevel, message: string, fields: Record<string, unknown> = {}) {
  const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
