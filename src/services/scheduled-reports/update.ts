import { scheduledReports } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireReportManager } from "../../domain/policy";
import { maskRecipientValue } from "../../domain/recipients";
import type { ServiceContext } from "../context";
import { toScheduledReportDto } from "./dto";
import { findScheduledReport, scopedReport } from "./find";
import { computeNextRunAt } from "./next-run";
import {
  loadOrganization,
  normalizeDeliverWhen,
  normalizeParameters,
  normalizeRecipients,
  normalizeSchedule,
  normalizeTriggerParameters,
  requireFreeKey,
  requireUsableDefinition,
} from "./normalize";
import { reportQuotas, requireDefinitionWithinQuotas } from "./quotas";
import { diffRecipients } from "./recipients-diff";
import type { UpdateScheduledReportInput } from "./schema";

export async function updateScheduledReport({ ctx, id, input }: { ctx: ServiceContext; id: string; input: UpdateScheduledReportInput }) {
  const current = await findScheduledReport(ctx, id);
  requireReportManager(ctx.auth, current);
  const org = await loadOrganization(ctx);
  const reportType = input.reportType ?? current.reportType;
  const format = input.format ?? current.format;
  const compress = input.compress ?? current.compress;
  requireUsableDefinition(ctx, org, { reportType, format, compress, typeChosen: input.reportType !== undefined });
  // Parameters are re-checked when either they or the type change: old ones may not fit a new type.
  const parameters =
    input.parameters !== undefined || input.reportType !== undefined
      ? normalizeParameters(reportType, input.parameters ?? current.parameters)
      : current.parameters;
  const schedule = input.schedule ? normalizeSchedule(input.schedule) : {};
  const recipients = input.recipients ? await normalizeRecipients(ctx, org, input.recipients) : current.recipients;
  if (input.key !== undefined) await requireFreeKey(ctx, input.key, id);
  // A threshold is re-checked when the report's columns may have changed too.
  const deliverWhen = normalizeDeliverWhen(reportType, parameters, input.deliverWhen ?? current.deliverWhen);
  // Like a threshold, the trigger's parameters are re-checked against a changed type.
  const triggerParameters =
    input.triggerParameters !== undefined || input.reportType !== undefined
      ? normalizeTriggerParameters(reportType, input.triggerParameters ?? current.triggerParameters)
      : current.triggerParameters;
  const next = {
    ...current,
    ...schedule,
    name: input.name ?? current.name,
    key: input.key !== undefined ? input.key : current.key,
    reportType,
    parameters,
    recipients,
    format,
    compress,
    deliverWhen,
    emptyResult: input.emptyResult ?? current.emptyResult,
    triggerParameters,
    updatedAt: ctx.now,
  };
  if (input.schedule) next.nextRunAt = computeNextRunAt(next, ctx.now);
  // Only what this update changes is held to the quotas (a lowered quota does not lock a report's other fields).
  if (input.recipients || input.schedule) {
    await requireDefinitionWithinQuotas(ctx, await reportQuotas(ctx), {
      recipients: input.recipients ? recipients : undefined,
      cron: input.schedule ? next.cron : undefined,
    });
  }

  const target = { targetType: "scheduled_report", targetId: id };
  const { added, removed } = diffRecipients(current.recipients, recipients);
  const { id: _id, organizationId: _org, createdBy: _by, createdByApiKeyId: _key, createdAt: _at, ...changes } = next;
  await ctx.db.batch([
    ctx.db.update(scheduledReports).set(changes).where(scopedReport(ctx, id)),
    auditInsert(ctx, { type: "scheduled_report.updated", ...target, data: { fields: Object.keys(input) } }),
    ...added.map((r) => auditInsert(ctx, { type: "recipient.added", ...target, data: { type: r.type, value: maskRecipientValue(r) } })),
    ...removed.map((r) => auditInsert(ctx, { type: "recipient.removed", ...target, data: { type: r.type, value: maskRecipientValue(r) } })),
  ]);
  return toScheduledReportDto(next);
}
