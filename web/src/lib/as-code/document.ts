// Schedules as code in the browser: the text a user pasted or uploaded (YAML, or JSON, which is YAML
// too) read into the body POST /api/scheduled-reports/apply takes. Only the outline is checked here;
// the API validates each report and answers with the document path of anything wrong.
import { parse } from "yaml";
import type { ApplyDocument, ApplyPlan } from "../api.ts";

export type ParsedDocument = { ok: true; document: ApplyDocument } | { ok: false; error: string };
export type PlanEntry = ApplyPlan["plan"][number];

const hasReports = (value: unknown): value is { reports: ApplyDocument["reports"] } =>
  typeof value === "object" && value !== null && "reports" in value && Array.isArray(value.reports);

export function parseDocument(text: string, prune: boolean): ParsedDocument {
  if (!text.trim()) return { ok: false, error: "Paste or upload a document first." };
  let value: unknown;
  try {
    value = parse(text);
  } catch (e) {
    return { ok: false, error: `Not valid YAML or JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!hasReports(value)) return { ok: false, error: "The document needs a “reports” list, as the export has." };
  return { ok: true, document: { reports: value.reports, ...(prune ? { prune: true } : {}) } };
}

/** A changed field's value in one line: text as it is, anything else as compact JSON; "—" for none. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null) return "—";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** The plan's changes of one report as "field: from → to" lines. */
export const describeChanges = (entry: PlanEntry): string[] =>
  Object.entries(entry.changes ?? {}).map(([field, change]) => `${field}: ${showValue(change.from)} → ${showValue(change.to)}`);
