import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { id, instant } from "./columns";

export const ALERT_RULES = [
  "failure_rate",
  "queue_backlog",
  "slow_executions",
  "storage_quota",
  "email_bounce_rate",
  "scheduler_heartbeat",
  "consumer_stalled",
  /** Raised when work was refused for a quota (a run for storage, an email for the day's emails), once a day. */
  "storage_quota_exceeded",
  "email_quota_exceeded",
  /** A report's run returned no rows where its last three had rows (a remapped tenant key, an emptied table): one per report, resolved when rows come back. */
  "suspicious_empty",
] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/**
 * Fired alerts. The unique (organization, rule, window) key makes each rule fire at most once per
 * window however often it is evaluated. An alert stays open while its condition holds (a rule with
 * an open alert raises no new one) and is resolved at the first evaluation that finds the condition
 * gone; both moments are announced on the alert routes. System-wide alerts (the scheduler
 * heartbeat, stalled consumers, totals over every organization) are scoped to "*" and go to the
 * operator.
 */
export const alerts = sqliteTable(
  "alerts",
  {
    id: id(),
    organizationId: text("organization_id").notNull(),
    rule: text("rule", { enum: ALERT_RULES }).notNull(),
    windowStart: instant("window_start").notNull(),
    severity: text("severity", { enum: ["critical", "warning"] }).notNull(),
    value: real("value").notNull(),
    threshold: real("threshold").notNull(),
    message: text("message").notNull(),
    createdAt: instant("created_at").notNull(),
    resolvedAt: instant("resolved_at"),
    /** What a per-object rule is about (suspicious_empty: the report's id); empty for organization-wide rules. */
    subjectId: text("subject_id").notNull().default(""),
  },
  (t) => [
    uniqueIndex("alerts_rule_window_unique").on(t.organizationId, t.rule, t.windowStart, t.subjectId),
    index("alerts_org_created_idx").on(t.organizationId, t.createdAt),
    index("alerts_open_idx").on(t.organizationId, t.rule).where(sql`resolved_at is null`),
    // The operator's view across organizations, newest first.
    index("alerts_created_idx").on(t.createdAt, t.id),
  ],
);

/**
 * Where an organization's alerts go besides the dashboard: its admins by email (on unless turned
 * off), a Slack incoming webhook (a credential: stored sealed) and a webhook signed like report
 * webhooks. No row means the default: email to the admins only.
 */
export const alertRoutes = sqliteTable("alert_routes", {
  organizationId: text("organization_id").primaryKey(),
  emailAdmins: integer("email_admins", { mode: "boolean" }).notNull().default(true),
  slackUrlSealed: text("slack_url_sealed"),
  webhookUrl: text("webhook_url"),
  updatedAt: instant("updated_at").notNull(),
});

/** The organization id used for system-wide alerts. */
export const SYSTEM_ALERT_SCOPE = "*";

/**
 * Daily jobs of the scheduler (retention): the last UTC day each one ran. The first tick after the
 * job's hour claims the day with a compare-and-set, so a missed tick delays the job, never skips it,
 * and two ticks never both run it.
 */
export const dailyJobs = sqliteTable("daily_jobs", {
  name: text("name").primaryKey(),
  lastDay: text("last_day").notNull(),
  ranAt: instant("ran_at").notNull(),
});

/**
 * When each queue's consumer last finished a batch. A queue with overdue work and no batch finished
 * for 5 minutes has a consumer that stopped (the `consumer_stalled` system alert).
 */
export const consumerHeartbeats = sqliteTable("consumer_heartbeats", {
  queue: text("queue").primaryKey(),
  lastBatchAt: instant("last_batch_at").notNull(),
});
