import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations } from "./accounts";
import { instant } from "./columns";

/**
 * The operator's per-organization quota overrides. A null column means the deployment's default
 * (QUOTA_* in config); no row means no override at all. See src/domain/quotas.ts.
 */
export const organizationQuotas = sqliteTable("organization_quotas", {
  organizationId: text("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  activeReports: integer("active_reports"),
  /** All reports, paused ones included. */
  reports: integer("reports"),
  /** Live API keys: neither revoked nor expired. */
  apiKeys: integer("api_keys"),
  recipientsPerReport: integer("recipients_per_report"),
  minIntervalMinutes: integer("min_interval_minutes"),
  storageBytes: integer("storage_bytes"),
  emailsPerDay: integer("emails_per_day"),
  retentionDays: integer("retention_days"),
  concurrentRuns: integer("concurrent_runs"),
  updatedAt: instant("updated_at").notNull(),
});

/**
 * What an organization uses, kept as counters instead of scans: the bytes of its live report files
 * (added when a run's file is recorded, taken off when retention expires it) and the report emails
 * sent on one UTC day. The row is created on first use from a scan of the executions, in the same
 * statement, so an organization with files from before the counter starts right.
 */
export const organizationUsage = sqliteTable("organization_usage", {
  organizationId: text("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  storageBytes: integer("storage_bytes").notNull().default(0),
  /** How many live files those bytes are. */
  storageFiles: integer("storage_files").notNull().default(0),
  /** The UTC day (YYYY-MM-DD) `emailsSent` counts; another day means zero so far. */
  emailsDay: text("emails_day").notNull().default(""),
  emailsSent: integer("emails_sent").notNull().default(0),
  updatedAt: instant("updated_at").notNull(),
});
