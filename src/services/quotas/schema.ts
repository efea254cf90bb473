import { z } from "@hono/zod-openapi";

const limit = (description: string) => z.number().int().openapi({ description });

export const QuotasSchema = z
  .object({
    activeReports: limit("Active (not paused) reports"),
    reports: limit("All reports, paused ones included"),
    apiKeys: limit("Live API keys (neither revoked nor expired)"),
    recipientsPerReport: limit("Recipients of one report"),
    minIntervalMinutes: limit("Shortest time between two consecutive runs of a schedule, in minutes"),
    storageBytes: limit("Bytes of report files kept; runs fail with quota_exceeded while it is used up"),
    emailsPerDay: limit("Report emails a UTC day; the excess fails with quota_exceeded"),
    retentionDays: limit("Longest file retention the settings may ask for, in days"),
    concurrentRuns: limit("Runs of the organization generating at once"),
  })
  .openapi("Quotas");

export const QuotaUsageSchema = z
  .object({
    activeReports: z.number().int(),
    reports: z.number().int().openapi({ description: "All reports, paused ones included" }),
    apiKeys: z.number().int().openapi({ description: "Live API keys" }),
    storageBytes: z.number().int().openapi({ description: "Bytes of the organization's live report files" }),
    emailsToday: z.number().int().openapi({ description: "Report emails sent since 00:00 UTC" }),
  })
  .openapi("QuotaUsage");

export const OrganizationQuotasSchema = z.object({ quotas: QuotasSchema, usage: QuotaUsageSchema }).openapi("OrganizationQuotas");

/** Each field: a new limit, or null to go back to the deployment's default; a field left out stays as it is. */
const override = (min: number, max: number) => z.number().int().min(min).max(max).nullable().optional();

export const QuotaOverridesSchema = z
  .object({
    activeReports: override(0, 1_000_000),
    reports: override(0, 1_000_000),
    apiKeys: override(0, 10_000),
    recipientsPerReport: override(0, 500),
    minIntervalMinutes: override(1, 1440),
    storageBytes: override(0, 2 ** 50),
    emailsPerDay: override(0, 10_000_000),
    retentionDays: override(1, 3650),
    concurrentRuns: override(1, 1000),
  })
  .strict()
  .openapi("QuotaOverrides");
export type QuotaOverridesInput = z.infer<typeof QuotaOverridesSchema>;

export const OperatorQuotasSchema = OrganizationQuotasSchema.extend({
  overrides: z
    .object(
      Object.fromEntries(Object.keys(QuotasSchema.shape).map((k) => [k, z.number().int().nullable()])) as Record<
        keyof z.infer<typeof QuotasSchema>,
        z.ZodNullable<z.ZodNumber>
      >,
    )
    .openapi({ description: "What the operator set for this organization; null: the deployment's default" }),
}).openapi("OperatorQuotas");
