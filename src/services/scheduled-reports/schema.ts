import { z } from "@hono/zod-openapi";
import { SLACK_VALUE_HINT, slackTarget } from "../../channels/slack-target";
import {
  CATCH_UP_POLICIES,
  DELIVERY_SKIP_REASONS,
  EMPTY_RESULT_POLICIES,
  EXECUTION_STATUSES,
  FORMATS,
  MISSED_DEADLINE_POLICIES,
  THRESHOLD_OPERATORS,
} from "../../db/schema";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../lib/header-text";
import { isValidTimeZone, PRESETS, validateCron, validatePreset } from "../../lib/schedule";

const isoInstant = z.iso.datetime({ offset: true });

export const RecipientSchema = z
  .discriminatedUnion("type", [
    z.object({ type: z.literal("email"), value: z.email().max(254) }),
    z.object({
      type: z.literal("slack"),
      value: z
        .string()
        .trim()
        .max(2048)
        .refine((v) => slackTarget(v) !== null, `Must be ${SLACK_VALUE_HINT}`)
        .openapi({ description: "An incoming-webhook URL, or (with a connected Slack app) #channel-name or a channel id" }),
    }),
    z.object({ type: z.literal("webhook"), value: z.url().max(2048) }),
    z.object({
      type: z.literal("teams"),
      value: z
        .url()
        .max(2048)
        .openapi({ description: "A Microsoft Teams Workflows webhook URL (*.logic.azure.com, *.powerplatform.com, *.webhook.office.com)" }),
    }),
  ])
  .openapi("Recipient");

/**
 * At most 500 recipients are read at all; how many a report may have is the organization's quota
 * (recipientsPerReport, 50 by default), answered with 422 quota_exceeded.
 */
const RecipientListSchema = z
  .array(RecipientSchema)
  .max(500)
  .openapi({ description: "At most the organization's recipientsPerReport quota (50 by default; GET /api/settings/quotas)" });

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A schedule is a five-field cron, a preset, or a data-ready trigger, always in an IANA timezone. */
export const ScheduleSchema = z
  .object({
    cron: z.string().max(120).optional().openapi({ example: "0 9 * * 1" }),
    preset: z.enum(PRESETS).optional(),
    time: z.string().optional().openapi({ example: "09:00", description: "HH:MM for daily, weekly and monthly presets" }),
    minute: z.number().int().optional().openapi({ description: "Minute past the hour for the hourly preset" }),
    daysOfWeek: z.array(z.number().int()).max(7).optional().openapi({ description: "0 = Sunday … 6 = Saturday" }),
    dayOfMonth: z.union([z.number().int(), z.literal("last")]).optional(),
    trigger: z.literal("event").optional().openapi({ description: "Run when POST …/trigger says the data is ready, once a day in the timezone" }),
    deadline: z.string().optional().openapi({ example: "09:30", description: "HH:MM: if no trigger came by then, onMissedDeadline applies" }),
    onMissedDeadline: z.enum(MISSED_DEADLINE_POLICIES).optional().openapi({ description: "run: run anyway at the deadline (default); alert: tell the owner" }),
    timezone: z.string().openapi({ example: "Europe/Berlin" }),
    startAt: isoInstant.nullish(),
    endAt: isoInstant.nullish(),
    catchUp: z.enum(CATCH_UP_POLICIES).default("latest"),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.trigger === "event") {
      if (s.cron !== undefined || s.preset !== undefined) {
        ctx.addIssue({ code: "custom", path: ["trigger"], message: "A report run by a trigger has no cron or preset" });
      }
      if (s.deadline !== undefined && !HH_MM.test(s.deadline))
        ctx.addIssue({ code: "custom", path: ["deadline"], message: 'deadline must be "HH:MM" (24-hour)' });
    } else if (s.deadline !== undefined || s.onMissedDeadline !== undefined) {
      ctx.addIssue({ code: "custom", path: ["deadline"], message: 'A deadline belongs to a report run by a trigger ("trigger": "event")' });
    } else if ((s.cron === undefined) === (s.preset === undefined)) {
      ctx.addIssue({ code: "custom", path: ["cron"], message: "Give either a cron expression or a preset" });
    } else if (s.cron !== undefined) {
      const error = validateCron(s.cron);
      if (error) ctx.addIssue({ code: "custom", path: ["cron"], message: error });
    } else if (s.preset !== undefined) {
      const error = validatePreset({ preset: s.preset, time: s.time, minute: s.minute, daysOfWeek: s.daysOfWeek, dayOfMonth: s.dayOfMonth });
      if (error) ctx.addIssue({ code: "custom", path: ["preset"], message: error });
    }
    if (!isValidTimeZone(s.timezone)) {
      ctx.addIssue({ code: "custom", path: ["timezone"], message: `"${s.timezone}" is not an IANA timezone` });
    }
    if (s.startAt && s.endAt && Date.parse(s.endAt) <= Date.parse(s.startAt)) {
      ctx.addIssue({ code: "custom", path: ["endAt"], message: "endAt must be after startAt" });
    }
  })
  .openapi("ScheduleInput");
export type ScheduleInput = z.infer<typeof ScheduleSchema>;

const keepFile = z.boolean().optional().openapi({ description: "Keep the file of a run that delivered nothing (default true)" });

/** When a run's file is delivered; the default is always. */
export const DeliverWhenSchema = z
  .discriminatedUnion("mode", [
    z.object({ mode: z.literal("always"), keepFile }).strict(),
    z.object({ mode: z.literal("ifResults"), keepFile }).strict(),
    z.object({ mode: z.literal("ifChanged"), keepFile }).strict(),
    z
      .object({
        mode: z.literal("ifThreshold"),
        column: z.string().min(1).max(64).openapi({ description: "A column key of the report type" }),
        operator: z.enum(THRESHOLD_OPERATORS),
        value: z.union([z.number(), z.string().max(200)]),
        keepFile,
      })
      .strict(),
  ])
  .openapi("DeliverWhen", {
    description:
      "always: every run delivers. ifResults: only when the result has rows. ifChanged: only when the rows differ from the last delivered run. ifThreshold: only when some row's column compares true with the value.",
  });

const emptyResult = z.enum(EMPTY_RESULT_POLICIES).openapi({
  description:
    "What a run that returns no rows does: deliver (as the delivery condition says; the default) or fail (error class empty_result; nothing is delivered)",
});

const triggerParameters = z
  .array(z.string().min(1).max(64))
  .max(50)
  .openapi({
    description: "Parameters a data-ready trigger may override when its sender is an editor who does not manage the report (its manager may override any)",
    example: ["region"],
  });

/** A user-chosen key, unique in the organization: how a schedules-as-code document names a report. */
export const ReportKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, "A key is 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit")
  .openapi({ example: "weekly-sales" });

export const CreateScheduledReportSchema = z
  .object({
    name: z.string().trim().min(1).max(200).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE),
    key: ReportKeySchema.nullish(),
    reportType: z.string().min(1).max(64),
    parameters: z.record(z.string(), z.unknown()).default({}),
    format: z.enum(FORMATS),
    schedule: ScheduleSchema,
    recipients: RecipientListSchema.default([]),
    compress: z.boolean().default(false).openapi({ description: "CSV only: store and send the file gzip-compressed (.csv.gz)" }),
    deliverWhen: DeliverWhenSchema.default({ mode: "always" }),
    emptyResult: emptyResult.default("deliver"),
    triggerParameters: triggerParameters.default([]),
    isActive: z.boolean().default(true),
  })
  .strict()
  .openapi("CreateScheduledReport");
export type CreateScheduledReportInput = z.infer<typeof CreateScheduledReportSchema>;

const AdoptSchema = z.string().min(1).max(64).openapi({
  description:
    "The id of a report without a key that this entry takes over (its key is saved on it), instead of creating a new report. Export writes it for reports that have no key yet.",
});

/** One report of a schedules-as-code document: what creating it takes, with its key required. */
export const ApplyEntrySchema = CreateScheduledReportSchema.extend({ key: ReportKeySchema, adopt: AdoptSchema.optional() }).openapi("ReportAsCode");

export const ApplyDocumentSchema = z
  .object({
    reports: z.array(ApplyEntrySchema).max(1000),
    prune: z.boolean().default(false).openapi({
      description: "Delete keyed reports the document does not list (a report without a key is never deleted; one the document adopts is keyed from then on)",
    }),
  })
  .strict()
  .openapi("ApplyDocument");

/**
 * What export writes: the definition of each report, always with a key (its own, or a generated one
 * with `adopt` naming the report, which applying the document saves on it).
 */
export const ReportDefinitionSchema = CreateScheduledReportSchema.extend({ key: ReportKeySchema, adopt: AdoptSchema.optional() }).openapi("ReportDefinition");

export const PLAN_ACTIONS = ["create", "adopt", "update", "delete", "unchanged"] as const;

export const ApplyPlanSchema = z
  .object({
    plan: z.array(
      z.object({
        key: z.string(),
        action: z.enum(PLAN_ACTIONS).openapi({
          description: "adopt: a report without a key takes this entry's key (and any changes listed), matched by `adopt` or by an identical definition",
        }),
        reportId: z.string().optional().openapi({ description: "For adopt: the report that takes the key" }),
        changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
      }),
    ),
    applied: z.boolean(),
  })
  .openapi("ApplyPlan");

export const UpdateScheduledReportSchema = z
  .object({
    name: z.string().trim().min(1).max(200).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE).optional(),
    key: ReportKeySchema.nullable().optional(),
    reportType: z.string().min(1).max(64).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    format: z.enum(FORMATS).optional(),
    schedule: ScheduleSchema.optional().openapi({ description: "Replaces the whole schedule" }),
    recipients: RecipientListSchema.optional(),
    compress: z.boolean().optional(),
    deliverWhen: DeliverWhenSchema.optional(),
    emptyResult: emptyResult.optional(),
    triggerParameters: triggerParameters.optional(),
  })
  .strict()
  .openapi("UpdateScheduledReport");
export type UpdateScheduledReportInput = z.infer<typeof UpdateScheduledReportSchema>;

export const ExecutionSummarySchema = z
  .object({
    id: z.string(),
    scheduledFor: z.string(),
    trigger: z.string(),
    status: z.enum(EXECUTION_STATUSES),
    attempt: z.number(),
    startedAt: z.string().nullable(),
    completedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    rowCount: z.number().nullable(),
    fileSize: z.number().nullable(),
    format: z.string(),
    errorMessage: z.string().nullable(),
    dataAsOf: z.string().nullable().openapi({ description: "What the data-ready trigger said its data is as of" }),
    deliverySkipped: z
      .object({ reason: z.enum(DELIVERY_SKIP_REASONS) })
      .nullable()
      .openapi({ description: "Why this completed run delivered nothing (the report's delivery condition); null when it delivered" }),
  })
  .openapi("ExecutionSummary");

export const ScheduledReportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().nullable(),
    reportType: z.string(),
    parameters: z.record(z.string(), z.unknown()),
    format: z.enum(FORMATS),
    schedule: z.object({
      cron: z.string(),
      preset: z.enum(PRESETS).optional(),
      time: z.string().optional(),
      minute: z.number().optional(),
      daysOfWeek: z.array(z.number()).optional(),
      dayOfMonth: z.union([z.number(), z.literal("last")]).optional(),
      trigger: z.literal("event").optional(),
      deadline: z.string().optional(),
      onMissedDeadline: z.enum(MISSED_DEADLINE_POLICIES).optional(),
      timezone: z.string(),
      startAt: z.string().nullable(),
      endAt: z.string().nullable(),
      catchUp: z.enum(CATCH_UP_POLICIES),
      description: z.string(),
    }),
    recipients: z.array(RecipientSchema),
    compress: z.boolean(),
    deliverWhen: DeliverWhenSchema,
    emptyResult: z.enum(EMPTY_RESULT_POLICIES),
    triggerParameters: z.array(z.string()),
    isActive: z.boolean(),
    nextRunAt: z.string().nullable(),
    lastRunAt: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastExecution: ExecutionSummarySchema.nullable().optional(),
  })
  .openapi("ScheduledReport");

export const ListScheduledReportsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
  status: z.enum(["active", "paused"]).optional(),
  reportType: z.string().max(64).optional(),
  q: z.string().max(200).optional(),
});
export type ListScheduledReportsInput = z.infer<typeof ListScheduledReportsQuery>;
