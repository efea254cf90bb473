import { z } from "@hono/zod-openapi";
import { SLACK_VALUE_HINT, slackTarget } from "../../channels/slack-target";
import { CATCH_UP_POLICIES, EXECUTION_STATUSES, FORMATS } from "../../db/schema";
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

/** A schedule is a five-field cron or a preset, always in an IANA timezone. */
export const ScheduleSchema = z
  .object({
    cron: z.string().max(120).optional().openapi({ example: "0 9 * * 1" }),
    preset: z.enum(PRESETS).optional(),
    time: z.string().optional().openapi({ example: "09:00", description: "HH:MM for daily, weekly and monthly presets" }),
    minute: z.number().int().optional().openapi({ description: "Minute past the hour for the hourly preset" }),
    daysOfWeek: z.array(z.number().int()).max(7).optional().openapi({ description: "0 = Sunday … 6 = Saturday" }),
    dayOfMonth: z.union([z.number().int(), z.literal("last")]).optional(),
    timezone: z.string().openapi({ example: "Europe/Berlin" }),
    startAt: isoInstant.nullish(),
    endAt: isoInstant.nullish(),
    catchUp: z.enum(CATCH_UP_POLICIES).default("latest"),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.cron === undefined) === (s.preset === undefined)) {
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

export const CreateScheduledReportSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    reportType: z.string().min(1).max(64),
    parameters: z.record(z.string(), z.unknown()).default({}),
    format: z.enum(FORMATS),
    schedule: ScheduleSchema,
    recipients: z.array(RecipientSchema).max(50).default([]),
    compress: z.boolean().default(false).openapi({ description: "CSV only: store and send the file gzip-compressed (.csv.gz)" }),
    isActive: z.boolean().default(true),
  })
  .strict()
  .openapi("CreateScheduledReport");
export type CreateScheduledReportInput = z.infer<typeof CreateScheduledReportSchema>;

export const UpdateScheduledReportSchema = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    reportType: z.string().min(1).max(64).optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    format: z.enum(FORMATS).optional(),
    schedule: ScheduleSchema.optional().openapi({ description: "Replaces the whole schedule" }),
    recipients: z.array(RecipientSchema).max(50).optional(),
    compress: z.boolean().optional(),
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
  })
  .openapi("ExecutionSummary");

export const ScheduledReportSchema = z
  .object({
    id: z.string(),
    name: z.string(),
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
      timezone: z.string(),
      startAt: z.string().nullable(),
      endAt: z.string().nullable(),
      catchUp: z.enum(CATCH_UP_POLICIES),
      description: z.string(),
    }),
    recipients: z.array(RecipientSchema),
    compress: z.boolean(),
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
