import { scheduledReports } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { maskRecipientValue } from "../../domain/recipients";
import { newId } from "../../lib/ids";
import type { ServiceContext } from "../context";
import { toScheduledReportDto } from "./dto";
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
import { activeReportCount, reportCount, reportQuotas, requireActiveReportRoom, requireDefinitionWithinQuotas, requireReportRoom } from "./quotas";
import type { CreateScheduledReportInput } from "./schema";

export async function createScheduledReport({ ctx, input }: { ctx: ServiceContext; input: CreateScheduledReportInput }) {
  requireRole(ctx.auth, "editor");
  const org = await loadOrganization(ctx);
  requireUsableDefinition(ctx, org, { reportType: input.reportType, format: input.format, compress: input.compress, typeChosen: true });
  await requireFreeKey(ctx, input.key);
  const parameters = normalizeParameters(input.reportType, input.parameters);
  const row = {
    id: newId(),
    organizationId: ctx.auth.organizationId,
    createdBy: ctx.auth.userId,
    createdByApiKeyId: ctx.auth.apiKeyId,
    key: input.key ?? null,
    name: input.name,
    reportType: input.reportType,
    parameters,
    format: input.format,
    ...normalizeSchedule(input.schedule),
    recipients: await normalizeRecipients(ctx, org, input.recipients),
    compress: input.compress,
    deliverWhen: normalizeDeliverWhen(input.reportType, parameters, input.deliverWhen),
    emptyResult: input.emptyResult,
    triggerParameters: normalizeTriggerParameters(input.reportType, input.triggerParameters),
    isActive: input.isActive,
    lastRunAt: null,
    lastRowCount: null,
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  const quotas = await reportQuotas(ctx);
  await requireDefinitionWithinQuotas(ctx, quotas, row);
  await requireReportRoom(ctx, quotas, await reportCount(ctx));
  if (row.isActive) await requireActiveReportRoom(ctx, quotas, await activeReportCount(ctx));
  const report = { ...row, nextRunAt: computeNextRunAt(row, ctx.now) };
  const target = { targetType: "scheduled_report", targetId: report.id };
  await ctx.db.batch([
    ctx.db.insert(scheduledReports).values(report),
    auditInsert(ctx, { type: "scheduled_report.created", ...target, data: { name: report.name, reportType: report.reportType } }),
    ...report.recipients.map((r) => auditInsert(ctx, { type: "recipient.added", ...target, data: { type: r.type, value: maskRecipientValue(r) } })),
  ]);
  return toScheduledReportDto(report);
}
