import { eq } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { requireRole } from "../../domain/policy";
import { DomainError, type ErrorDetail, ValidationError } from "../../errors";
import type { ServiceContext } from "../context";
import { requirePlanWithinQuotas } from "./apply-quotas";
import { createScheduledReport } from "./create";
import { definitionOf, type ReportDefinition, sameValue } from "./definition";
import type { ScheduledReportRow } from "./dto";
import {
  loadOrganization,
  normalizeDeliverWhen,
  normalizeParameters,
  normalizeRecipients,
  normalizeSchedule,
  normalizeTriggerParameters,
  requireUsableDefinition,
} from "./normalize";
import { removeScheduledReport } from "./remove";
import type { CreateScheduledReportInput, UpdateScheduledReportInput } from "./schema";
import { setScheduledReportActive } from "./set-active";
import { updateScheduledReport } from "./update";

export type ApplyEntry = CreateScheduledReportInput & { key: string };
export type ApplyInput = { reports: ApplyEntry[]; prune: boolean };
type Change = { from: unknown; to: unknown };
export type PlanStep = { key: string; action: "create" | "update" | "delete" | "unchanged"; changes?: Record<string, Change> };

type Org = Awaited<ReturnType<typeof loadOrganization>>;

/** The entry as it would be stored, checked exactly as creating it would check it. */
async function desiredDefinition(ctx: ServiceContext, org: Org, entry: ApplyEntry, index: number): Promise<ReportDefinition> {
  requireUsableDefinition(ctx, org, { reportType: entry.reportType, format: entry.format, compress: entry.compress, typeChosen: true });
  const parameters = normalizeParameters(entry.reportType, entry.parameters);
  return definitionOf({
    key: entry.key,
    name: entry.name,
    reportType: entry.reportType,
    parameters,
    format: entry.format,
    ...normalizeSchedule(entry.schedule),
    recipients: await normalizeRecipients(ctx, org, entry.recipients, (i) => `reports.${index}.recipients.${i}.value`),
    compress: entry.compress,
    deliverWhen: normalizeDeliverWhen(entry.reportType, parameters, entry.deliverWhen),
    emptyResult: entry.emptyResult,
    triggerParameters: normalizeTriggerParameters(entry.reportType, entry.triggerParameters),
    isActive: entry.isActive,
  });
}

function diff(current: ReportDefinition, desired: ReportDefinition): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const field of Object.keys(desired) as (keyof ReportDefinition)[]) {
    if (!sameValue(current[field], desired[field])) changes[field] = { from: current[field], to: desired[field] };
  }
  return changes;
}

/**
 * Makes the organization's keyed reports match a document: creates what is new, updates what
 * differs, and with `prune` deletes keyed reports the document no longer lists (reports without a key
 * are never touched). Every entry is checked before anything changes, and each error names its place
 * in the document; a dry run returns the plan and changes nothing. Applying the same document twice
 * changes nothing the second time.
 */
export async function applyScheduledReports({ ctx, input, dryRun }: { ctx: ServiceContext; input: ApplyInput; dryRun: boolean }) {
  requireRole(ctx.auth, "admin");
  const org = await loadOrganization(ctx);
  const rows = await ctx.db.select().from(scheduledReports).where(eq(scheduledReports.organizationId, ctx.auth.organizationId));
  const byKey = new Map(rows.filter((r) => r.key !== null).map((r) => [r.key!, r]));

  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  const desired: { entry: ApplyEntry; index: number; definition: ReportDefinition }[] = [];
  for (const [i, entry] of input.reports.entries()) {
    if (seen.has(entry.key)) details.push({ path: `reports.${i}.key`, message: `The key "${entry.key}" is listed twice` });
    seen.add(entry.key);
    try {
      desired.push({ entry, index: i, definition: await desiredDefinition(ctx, org, entry, i) });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      const own = err.details?.length ? err.details : [{ message: err.message }];
      // Recipient errors already carry their document path; the others are relative to the entry.
      for (const d of own) details.push({ ...d, path: d.path?.startsWith("reports.") ? d.path : `reports.${i}${d.path ? `.${d.path}` : ""}` });
    }
  }
  if (details.length) throw new ValidationError("The document has errors; nothing was changed", details);

  const plan: (PlanStep & { report?: ScheduledReportRow; entry?: ApplyEntry; index?: number })[] = [];
  for (const { entry, index, definition } of desired) {
    const current = byKey.get(entry.key);
    if (!current) {
      plan.push({ key: entry.key, action: "create", entry, index });
      continue;
    }
    const changes = diff(definitionOf(current), definition);
    plan.push(
      Object.keys(changes).length ? { key: entry.key, action: "update", changes, report: current, entry, index } : { key: entry.key, action: "unchanged" },
    );
  }
  if (input.prune) {
    for (const [key, report] of byKey) if (!seen.has(key)) plan.push({ key, action: "delete", report });
  }
  // A dry run is refused too: its plan would not apply.
  await requirePlanWithinQuotas(ctx, rows, plan);

  // What frees a place goes first (deletions, then pauses), so that a plan within the quotas as a
  // whole is within them at every step.
  const order = (s: (typeof plan)[number]) => (s.action === "delete" ? 0 : s.action === "update" && s.entry && !s.entry.isActive ? 1 : 2);
  if (!dryRun) for (const step of [...plan].sort((a, b) => order(a) - order(b))) await execute(ctx, step);
  return { plan: plan.map(({ key, action, changes }) => ({ key, action, ...(changes ? { changes } : {}) })), applied: !dryRun };
}

async function execute(ctx: ServiceContext, step: PlanStep & { report?: ScheduledReportRow; entry?: ApplyEntry }) {
  const { report, entry } = step;
  if (step.action === "create" && entry) await createScheduledReport({ ctx, input: entry });
  if (step.action === "delete" && report) await removeScheduledReport({ ctx, id: report.id });
  if (step.action === "update" && report && entry && step.changes) {
    const { isActive, key: _key, ...changed } = step.changes;
    const input: UpdateScheduledReportInput = {};
    for (const field of Object.keys(changed) as (keyof UpdateScheduledReportInput & keyof ApplyEntry)[]) {
      Object.assign(input, { [field]: entry[field] });
    }
    if (Object.keys(input).length) await updateScheduledReport({ ctx, id: report.id, input });
    if (isActive) await setScheduledReportActive({ ctx, id: report.id, active: entry.isActive });
  }
}
