import { eq } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { requireRole } from "../../domain/policy";
import { DomainError, type ErrorDetail, ValidationError } from "../../errors";
import type { ServiceContext } from "../context";
import { matchAdoptions } from "./apply-match";
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
import type { CreateScheduledReportInput, PLAN_ACTIONS, UpdateScheduledReportInput } from "./schema";
import { setScheduledReportActive } from "./set-active";
import { updateScheduledReport } from "./update";

export type ApplyEntry = CreateScheduledReportInput & { key: string; adopt?: string };
export type ApplyInput = { reports: ApplyEntry[]; prune: boolean };
type Change = { from: unknown; to: unknown };
export type PlanStep = { key: string; action: (typeof PLAN_ACTIONS)[number]; reportId?: string; changes?: Record<string, Change> };

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

function diff(current: ReportDefinition, desired: ReportDefinition, except: (keyof ReportDefinition)[] = []): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const field of Object.keys(desired) as (keyof ReportDefinition)[]) {
    if (except.includes(field)) continue;
    if (!sameValue(current[field], desired[field])) changes[field] = { from: current[field], to: desired[field] };
  }
  return changes;
}

/**
 * Makes the organization's keyed reports match a document: adopts a report without a key that an
 * entry names (`adopt`) or that delivers the same thing (the key is saved on it: never a second
 * report beside one that exists), creates what is new, updates what differs, and with `prune`
 * deletes keyed reports the document no longer lists (reports without a key are never deleted).
 * Every entry is checked before anything changes, and each error names its place in the document;
 * a dry run returns the plan and changes nothing. Applying the same document twice changes nothing
 * the second time.
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
  const { adopted, details: matching } = matchAdoptions(
    rows,
    desired.map(({ entry, index, definition }) => ({ index, key: entry.key, adopt: entry.adopt, definition })),
  );
  details.push(...matching);
  if (details.length) throw new ValidationError("The document has errors; nothing was changed", details);

  const plan: (PlanStep & { report?: ScheduledReportRow; entry?: ApplyEntry; index?: number })[] = [];
  for (const { entry, index, definition } of desired) {
    const adopt = adopted.get(index);
    if (adopt) {
      // The key is saved by adopting; the other fields are listed as they would change.
      const changes = diff(definitionOf(adopt), definition, ["key"]);
      plan.push({ key: entry.key, action: "adopt", reportId: adopt.id, ...(Object.keys(changes).length ? { changes } : {}), report: adopt, entry, index });
      continue;
    }
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
  const pauses = (s: (typeof plan)[number]) => (s.action === "update" || s.action === "adopt") && s.entry && !s.entry.isActive;
  const order = (s: (typeof plan)[number]) => (s.action === "delete" ? 0 : pauses(s) ? 1 : 2);
  if (!dryRun) for (const step of [...plan].sort((a, b) => order(a) - order(b))) await execute(ctx, step);
  return {
    plan: plan.map(({ key, action, reportId, changes }) => ({ key, action, ...(reportId ? { reportId } : {}), ...(changes ? { changes } : {}) })),
    applied: !dryRun,
  };
}

async function execute(ctx: ServiceContext, step: PlanStep & { report?: ScheduledReportRow; entry?: ApplyEntry }) {
  const { report, entry } = step;
  if (step.action === "create" && entry) {
    const { adopt: _adopt, ...input } = entry;
    await createScheduledReport({ ctx, input });
  }
  if (step.action === "delete" && report) await removeScheduledReport({ ctx, id: report.id });
  if ((step.action === "update" || step.action === "adopt") && report && entry) {
    const { isActive, key: _key, ...changed } = step.changes ?? {};
    const input: UpdateScheduledReportInput = step.action === "adopt" ? { key: entry.key } : {};
    for (const field of Object.keys(changed) as (keyof UpdateScheduledReportInput & keyof ApplyEntry)[]) {
      Object.assign(input, { [field]: entry[field] });
    }
    if (Object.keys(input).length) await updateScheduledReport({ ctx, id: report.id, input });
    if (isActive) await setScheduledReportActive({ ctx, id: report.id, active: entry.isActive });
  }
}
