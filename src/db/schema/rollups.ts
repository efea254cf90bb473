import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations } from "./accounts";

/*
 * Counters that metrics and alert rules read instead of the history, so that their cost follows the
 * window they look at, not how many runs were ever made. They are kept by triggers on
 * report_executions and report_deliveries (migration 0017_rollups): every path that records an
 * outcome counts it in the same statement, a repeat that changes nothing counts nothing, and no code
 * path can forget to. Each row counts outcome events: a failed run retried into a completed one
 * counts one failure and one completion. See src/domain/rollups.ts for the readers.
 */

/** Runs that ended completed or failed, per organization, 5-minute bucket, status and error class. */
export const executionRollups = sqliteTable(
  "execution_rollups",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    /** Start of the 5-minute bucket the run ended in (epoch ms). */
    bucketStart: integer("bucket_start").notNull(),
    status: text("status").notNull(),
    /** The failure's error class; '' for a completion. */
    errorClass: text("error_class").notNull().default(""),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.bucketStart, t.status, t.errorClass] }), index("execution_rollups_bucket_idx").on(t.bucketStart)],
);

/**
 * Completed runs per organization, hour, report type and duration bucket. A bucket is the duration
 * rounded down to two significant digits (1,234 ms counts as 1,200; below 100 ms exactly), so
 * percentiles read from it are within 10% below the true value, in a few dozen rows per hour.
 */
export const durationRollups = sqliteTable(
  "duration_rollups",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    hourStart: integer("hour_start").notNull(),
    reportType: text("report_type").notNull(),
    durationMs: integer("duration_ms").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.hourStart, t.reportType, t.durationMs] }), index("duration_rollups_hour_idx").on(t.hourStart)],
);

/** Deliveries that ended sent, failed or bounced, per organization, hour (of the outcome), channel and status. */
export const deliveryRollups = sqliteTable(
  "delivery_rollups",
  {
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    hourStart: integer("hour_start").notNull(),
    channel: text("channel").notNull(),
    status: text("status").notNull(),
    n: integer("n").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.hourStart, t.channel, t.status] }), index("delivery_rollups_hour_idx").on(t.hourStart)],
);
