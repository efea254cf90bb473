import { and, eq } from "drizzle-orm";
import { isEventSchedule, reportExecutions } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { canManageReport, requireRole } from "../../domain/policy";
import { enforceRateLimit } from "../../domain/rate-limit";
import { ConflictError, ForbiddenError } from "../../errors";
import { enqueueGeneration } from "../../jobs/messages";
import { eventPeriodKey } from "../../lib/schedule";
import type { ServiceContext } from "../context";
import { findScheduledReport } from "../scheduled-reports/find";
import { normalizeParameters } from "../scheduled-reports/normalize";
import { startRun } from "./start-run";

export type TriggerInput = { parameters?: Record<string, unknown>; dataAsOf?: string };

/**
 * "The data is ready": runs a report whose schedule waits for a trigger, at most once per day of its
 * timezone. The run's scheduled-for time is the day's key (its deadline, or local midnight), so the
 * unique (report, scheduled_for) index makes every later trigger of the day, and the deadline, a
 * duplicate. A day whose deadline passed with "alert" was recorded as failed (trigger_missed): a late
 * trigger still runs it. Editors and admins (people or API keys) may trigger; overriding parameters
 * is the report's manager's business, except for those the report lists in triggerParameters (#23).
 */
export async function triggerReport({ ctx, id, input }: { ctx: ServiceContext; id: string; input: TriggerInput }) {
  requireRole(ctx.auth, "editor");
  const report = await findScheduledReport(ctx, id);
  const schedule = report.scheduleConfig;
  if (!isEventSchedule(schedule)) {
    throw new ConflictError('This report runs on its clock; only a report whose schedule is {"trigger": "event"} takes triggers');
  }
  if (!report.isActive) throw new ConflictError("The report is paused: resume it to take triggers");
  requireOverridable(ctx, report, input.parameters);
  // Overrides must make valid parameters together with the report's own.
  if (input.parameters) normalizeParameters(report.reportType, { ...report.parameters, ...input.parameters });
  const scheduledFor = eventPeriodKey(report.timezone, schedule.deadline, ctx.now);
  const run = {
    trigger: "event" as const,
    parameterOverrides: input.parameters ?? null,
    dataAsOf: input.dataAsOf ? new Date(input.dataAsOf) : null,
  };
  const period = and(eq(reportExecutions.scheduledReportId, report.id), eq(reportExecutions.scheduledFor, scheduledFor));
  const [existing] = await ctx.db
    .select({ id: reportExecutions.id, status: reportExecutions.status, errorClass: reportExecutions.errorClass, traceId: reportExecutions.traceId })
    .from(reportExecutions)
    .where(period);
  const missed = existing?.status === "failed" && existing.errorClass === "trigger_missed";
  if (existing && !missed) return { executionId: existing.id, duplicate: true };

  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "runs for your organization");
  const target = { targetType: "scheduled_report", targetId: report.id };
  if (existing) {
    // The deadline passed without a trigger and the owner was told; the data came late: run it now.
    const [revived] = await ctx.db
      .update(reportExecutions)
      .set({ ...run, triggeredBy: ctx.auth.actorId, status: "pending", errorMessage: null, errorClass: null, completedAt: null, nextAttemptAt: ctx.now })
      .where(and(eq(reportExecutions.id, existing.id), eq(reportExecutions.status, "failed"), eq(reportExecutions.errorClass, "trigger_missed")))
      .returning({ id: reportExecutions.id });
    if (!revived) return { executionId: existing.id, duplicate: true };
    await auditInsert(ctx, { type: "report_execution.triggered", ...target, data: { executionId: existing.id, late: true } });
    await enqueueGeneration(ctx.env, [
      {
        id: existing.id,
        organizationId: ctx.auth.organizationId,
        scheduledReportId: report.id,
        traceId: existing.traceId,
        format: report.format,
        lastRowCount: report.lastRowCount,
      },
    ]);
    return { executionId: existing.id, duplicate: false };
  }

  const { executionId, started } = await startRun(ctx, report, { scheduledFor, ...run });
  // Not started: another trigger (or the deadline) took this day a moment ago.
  if (!started) return { executionId, duplicate: true };
  await auditInsert(ctx, { type: "report_execution.triggered", ...target, data: { executionId, dataAsOf: input.dataAsOf ?? null } });
  return { executionId, duplicate: false };
}

/**
 * An editor who may not PATCH or run the report must not make it send other data to its recipients
 * (another region, a longer range): only the parameters the report opened to triggers may be set.
 */
function requireOverridable(
  ctx: ServiceContext,
  report: { createdBy: string | null; createdByApiKeyId: string | null; triggerParameters: string[] },
  overrides?: Record<string, unknown>,
) {
  const names = Object.keys(overrides ?? {});
  if (!names.length || canManageReport(ctx.auth, report)) return;
  const refused = names.filter((n) => !report.triggerParameters.includes(n));
  if (!refused.length) return;
  const open = report.triggerParameters.length ? `a trigger may set only ${report.triggerParameters.join(", ")}` : "it lets a trigger set no parameters";
  throw new ForbiddenError(`Only the report's manager may override ${refused.join(", ")} on a trigger; ${open}`);
}
