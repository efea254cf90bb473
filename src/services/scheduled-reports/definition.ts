import type { ScheduledReportRow } from "./dto";

/**
 * A report as code: the fields a person chooses, in a fixed key order (so an exported document is
 * stable and diffs well), without ids, times or computed fields. Export writes it; apply compares it.
 */
export function definitionOf(
  r: Omit<
    ScheduledReportRow,
    "id" | "organizationId" | "createdBy" | "createdByApiKeyId" | "createdAt" | "updatedAt" | "nextRunAt" | "lastRunAt" | "lastRowCount"
  >,
) {
  return {
    key: r.key,
    name: r.name,
    reportType: r.reportType,
    parameters: sortKeys(r.parameters),
    format: r.format,
    schedule: {
      ...r.scheduleConfig,
      timezone: r.timezone,
      catchUp: r.catchUp,
      ...(r.startAt ? { startAt: r.startAt.toISOString() } : {}),
      ...(r.endAt ? { endAt: r.endAt.toISOString() } : {}),
    },
    recipients: r.recipients.map((x) => ({ type: x.type, value: x.value })),
    compress: r.compress,
    deliverWhen: r.deliverWhen,
    emptyResult: r.emptyResult,
    triggerParameters: r.triggerParameters,
    isActive: r.isActive,
  };
}

export type ReportDefinition = ReturnType<typeof definitionOf>;

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Compares two values as JSON with object keys in sorted order (a document may order them any way). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v ?? null);
}
