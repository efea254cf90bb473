import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { PresetSchedule } from "../../lib/schedule";
import { organizations, users } from "./accounts";
import { id, instant, timestamps } from "./columns";
import type { FailureClass } from "./failure-classes";

export const FORMATS = ["csv", "xlsx", "pdf"] as const;
export type Format = (typeof FORMATS)[number];
export const CATCH_UP_POLICIES = ["skip", "latest", "all"] as const;
export type CatchUpPolicy = (typeof CATCH_UP_POLICIES)[number];
export const RECIPIENT_TYPES = ["email", "slack", "webhook", "teams"] as const;
export type RecipientType = (typeof RECIPIENT_TYPES)[number];
export type Recipient = { type: RecipientType; value: string };
/**
 * `skipped`: the run fell due while an earlier run of the same report was still going (see ReportLock).
 * `cancelled`: someone stopped it while it was pending or running; it delivers nothing.
 */
export const EXECUTION_STATUSES = ["pending", "running", "completed", "failed", "skipped", "cancelled"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];
/** `event`: a data-ready trigger (POST /api/scheduled-reports/:id/trigger) started the run. */
export const TRIGGERS = ["schedule", "manual", "retry", "event"] as const;
export type Trigger = (typeof TRIGGERS)[number];
export const DELIVERY_STATUSES = ["pending", "sent", "failed", "bounced"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const MISSED_DEADLINE_POLICIES = ["run", "alert"] as const;
export type MissedDeadlinePolicy = (typeof MISSED_DEADLINE_POLICIES)[number];
/**
 * A report that runs when its data is ready: the first trigger of each day (in its timezone) runs it;
 * if none came by the deadline, it runs anyway or its owner is told, as onMissedDeadline says.
 */
export type EventSchedule = { trigger: "event"; deadline?: string; onMissedDeadline: MissedDeadlinePolicy };

/** What the user asked for: a cron expression, a preset, or a data-ready trigger (the timezone is its own column). */
export type ScheduleConfig = { cron: string } | PresetSchedule | EventSchedule;

export const isEventSchedule = (s: ScheduleConfig): s is EventSchedule => "trigger" in s && s.trigger === "event";

export const DELIVERY_MODES = ["always", "ifResults", "ifChanged", "ifThreshold"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const THRESHOLD_OPERATORS = [">", ">=", "<", "<=", "=", "!="] as const;
export type ThresholdOperator = (typeof THRESHOLD_OPERATORS)[number];
/** When a run's file is delivered; a run that does not qualify completes without delivery. */
export type DeliverWhen =
  | { mode: "always" | "ifResults" | "ifChanged"; keepFile?: boolean }
  | { mode: "ifThreshold"; column: string; operator: ThresholdOperator; value: number | string; keepFile?: boolean };
/** What a run that returns no rows does: `deliver` (an empty file, as the delivery condition says) or `fail` (error class empty_result, nothing sent). */
export const EMPTY_RESULT_POLICIES = ["deliver", "fail"] as const;
export type EmptyResultPolicy = (typeof EMPTY_RESULT_POLICIES)[number];
export const DELIVERY_SKIP_REASONS = ["no_results", "unchanged", "threshold_not_met"] as const;
export type DeliverySkipReason = (typeof DELIVERY_SKIP_REASONS)[number];

export const scheduledReports = sqliteTable(
  "scheduled_reports",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    /** The API key that created it, when a program did (editor keys manage the reports they created). */
    createdByApiKeyId: text("created_by_api_key_id"),
    /** A user-chosen key, unique in the organization: how schedules kept as code find their report. */
    key: text("key"),
    name: text("name").notNull(),
    reportType: text("report_type").notNull(),
    parameters: text("report_parameters", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    format: text("format", { enum: FORMATS }).notNull(),
    scheduleConfig: text("schedule_config", { mode: "json" }).$type<ScheduleConfig>().notNull(),
    /** The five-field cron the schedule resolves to (a preset is stored expanded). */
    cron: text("cron").notNull(),
    timezone: text("timezone").notNull(),
    catchUp: text("catch_up", { enum: CATCH_UP_POLICIES }).notNull().default("latest"),
    startAt: instant("start_at"),
    endAt: instant("end_at"),
    recipients: text("recipients", { mode: "json" }).$type<Recipient[]>().notNull(),
    /** CSV only: store and send the file gzip-compressed (.csv.gz). */
    compress: integer("compress", { mode: "boolean" }).notNull().default(false),
    deliverWhen: text("deliver_when", { mode: "json" }).$type<DeliverWhen>().notNull().default({ mode: "always" }),
    /** `fail`: a run with no rows fails (empty_result) and delivers nothing, e.g. after a wrong data tenant key. */
    emptyResult: text("empty_result", { enum: EMPTY_RESULT_POLICIES }).notNull().default("deliver"),
    /** Parameters a data-ready trigger may override when its sender is not the report's manager (#23). */
    triggerParameters: text("trigger_parameters", { mode: "json" }).$type<string[]>().notNull().default([]),
    isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
    nextRunAt: instant("next_run_at"),
    lastRunAt: instant("last_run_at"),
    /** Rows of the last completed run: a report above HEAVY_ROW_THRESHOLD generates on the heavy queue. */
    lastRowCount: integer("last_row_count"),
    ...timestamps,
  },
  (t) => [
    // The due scan pages by (next_run_at, id) among active reports: the index serves that order.
    index("scheduled_reports_due_idx").on(t.isActive, t.nextRunAt, t.id),
    index("scheduled_reports_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("scheduled_reports_org_type_idx").on(t.organizationId, t.reportType),
    uniqueIndex("scheduled_reports_org_key_unique").on(t.organizationId, t.key),
  ],
);

export const reportExecutions = sqliteTable(
  "report_executions",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    // No foreign key: executions and their files outlive a deleted report until retention removes them.
    scheduledReportId: text("scheduled_report_id").notNull(),
    scheduledFor: instant("scheduled_for").notNull(),
    trigger: text("trigger", { enum: TRIGGERS }).notNull(),
    /** The user or API key that pressed "run now" or "retry" or sent the trigger; null for scheduled runs. */
    triggeredBy: text("triggered_by"),
    /** Parameters a data-ready trigger set for this run, over the report's own. */
    parameterOverrides: text("parameter_overrides", { mode: "json" }).$type<Record<string, unknown>>(),
    /** The time the trigger said its data is as of, shown in the report. */
    dataAsOf: instant("data_as_of"),
    status: text("status", { enum: EXECUTION_STATUSES }).notNull().default("pending"),
    attempt: integer("attempt").notNull().default(0),
    format: text("format", { enum: FORMATS }).notNull(),
    startedAt: instant("started_at"),
    completedAt: instant("completed_at"),
    durationMs: integer("duration_ms"),
    rowCount: integer("row_count"),
    /** When the queued attempt is expected to start: the watchdog re-queues pending rows well past it. */
    nextAttemptAt: instant("next_attempt_at"),
    /**
     * The expected start the watchdog last re-sent a message for: each sending is recovered once, and
     * next_attempt_at itself is never moved by the watchdog (backlog alerts and retries keep their times).
     */
    recoveredFor: instant("recovered_for"),
    /** W3C trace id shared by every log line of this execution, from the scheduler to each delivery. */
    traceId: text("trace_id").notNull(),
    fileKey: text("file_key"),
    fileName: text("file_name"),
    fileSize: integer("file_size"),
    errorMessage: text("error_message"),
    /** Why the last attempt failed, for metrics and alerts: see jobs/errors.ts classifyError. */
    errorClass: text("error_class"),
    /** Why a completed run delivered nothing (the report's delivery condition); null when it delivered. */
    deliverySkipped: text("delivery_skipped", { enum: DELIVERY_SKIP_REASONS }),
    /** SHA-256 of the rows, computed while streaming: what `ifChanged` compares with the last delivered run. */
    resultHash: text("result_hash"),
    /** Pinned by an admin: retention keeps its file (the "manual backup" of critical reports). */
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
    /** Set when retention deleted the file: its download links then answer 410. */
    fileExpiredAt: instant("file_expired_at"),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("report_executions_report_time_unique").on(t.scheduledReportId, t.scheduledFor),
    index("report_executions_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("report_executions_org_status_idx").on(t.organizationId, t.status, t.createdAt),
    index("report_executions_report_created_idx").on(t.scheduledReportId, t.createdAt, t.id),
    // Histories list runs newest first by scheduled-for time.
    index("report_executions_org_scheduled_idx").on(t.organizationId, t.scheduledFor, t.id),
    index("report_executions_report_scheduled_idx").on(t.scheduledReportId, t.scheduledFor, t.id),
    // The watchdog's scans: runs stuck in `running`, and queued runs whose message never arrived.
    index("report_executions_running_idx").on(t.startedAt).where(sql`status = 'running'`),
    index("report_executions_pending_idx").on(t.nextAttemptAt).where(sql`status = 'pending'`),
    // Metrics and alerts read recent outcomes; retention finds old files.
    index("report_executions_org_completed_idx").on(t.organizationId, t.completedAt),
    index("report_executions_completed_idx").on(t.completedAt),
    index("report_executions_files_idx").on(t.completedAt).where(sql`file_key is not null and file_expired_at is null`),
    index("report_executions_live_files_idx").on(t.organizationId, t.fileSize).where(sql`file_key is not null and file_expired_at is null`),
  ],
);

export const reportDeliveries = sqliteTable(
  "report_deliveries",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    executionId: text("report_execution_id")
      .notNull()
      .references(() => reportExecutions.id, { onDelete: "cascade" }),
    recipientType: text("recipient_type", { enum: RECIPIENT_TYPES }).notNull(),
    recipientValue: text("recipient_value").notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    providerMessageId: text("provider_message_id"),
    deliveredAt: instant("delivered_at"),
    /** Why the last attempt failed (a FailureClass of failure-classes.ts); null once sent. */
    failureClass: text("failure_class").$type<FailureClass>(),
    /** When the retry of a failed attempt is due; null when none is waiting. */
    nextAttemptAt: instant("next_attempt_at"),
    /** The attempt count at which the watchdog last re-sent this delivery's message: once per attempt. */
    recoveredAtAttempt: integer("recovered_at_attempt"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("report_deliveries_recipient_unique").on(t.executionId, t.recipientType, t.recipientValue),
    index("report_deliveries_org_status_idx").on(t.organizationId, t.status, t.createdAt),
    // A provider's bounce webhook names the message it sent.
    index("report_deliveries_provider_message_idx").on(t.providerMessageId),
    index("report_deliveries_org_created_idx").on(t.organizationId, t.createdAt),
    index("report_deliveries_created_idx").on(t.createdAt),
    // The watchdog's scan for deliveries whose message was lost.
    index("report_deliveries_pending_idx").on(t.createdAt).where(sql`status = 'pending'`),
  ],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: id(),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    actorId: text("actor_id"),
    type: text("type").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    createdAt: instant("created_at").notNull(),
  },
  (t) => [
    index("audit_events_org_created_idx").on(t.organizationId, t.createdAt, t.id),
    index("audit_events_org_type_idx").on(t.organizationId, t.type, t.createdAt),
    index("audit_events_org_actor_idx").on(t.organizationId, t.actorId, t.createdAt),
    // Retention's scan for the oldest events past their period, across organizations.
    index("audit_events_created_idx").on(t.createdAt),
  ],
);

/** Queue messages that could not be processed: unparseable, or dead-lettered after their last retry. */
export const deadLetters = sqliteTable(
  "dead_letters",
  {
    id: id(),
    queue: text("queue").notNull(),
    messageId: text("message_id").notNull(),
    organizationId: text("organization_id"),
    executionId: text("execution_id"),
    deliveryId: text("delivery_id"),
    body: text("body").notNull(),
    reason: text("reason").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: instant("created_at").notNull(),
    /** When an admin replayed it (once). */
    replayedAt: instant("replayed_at"),
  },
  (t) => [uniqueIndex("dead_letters_queue_message_unique").on(t.queue, t.messageId), index("dead_letters_org_created_idx").on(t.organizationId, t.createdAt)],
);
