import type { Db } from "../db/client";
import { auditEvents } from "../db/schema";
import { newId } from "../lib/ids";

export const AUDIT_EVENT_TYPES = [
  "scheduled_report.created",
  "scheduled_report.updated",
  "scheduled_report.deleted",
  "scheduled_report.paused",
  "scheduled_report.resumed",
  "recipient.added",
  "recipient.removed",
  "report_execution.started",
  "report_execution.completed",
  "report_execution.failed",
  "report_execution.skipped",
  "report_execution.retried",
  "report_execution.triggered",
  "report_execution.cancelled",
  "report_execution.pinned",
  "report_execution.unpinned",
  "report.downloaded",
  "user.created",
  "user.invited",
  "user.updated",
  "user.deleted",
  "user.password_changed",
  "user.password_reset_requested",
  "user.password_reset",
  "settings.updated",
  "webhook_secret.rotated",
  "slack.connected",
  "slack.disconnected",
  "organization.created",
  "organization.updated",
  "organization.quotas_updated",
  "quota.exceeded",
  "invitation.accepted",
  "sample_data.loaded",
  "dead_letter.replayed",
  "api_key.created",
  "api_key.first_used",
  "api_key.revoked",
  "auth.login",
  "auth.login_failed",
  "auth.logout",
  "report.link_issued",
  "recipient.tested",
  "alert_routes.updated",
  "audit_archive.downloaded",
] as const;
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export type AuditEntry = {
  type: AuditEventType;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
};

/** An audit event as the API shows it and the R2 archive keeps it (one NDJSON line each). */
export function auditEventDto(e: typeof auditEvents.$inferSelect) {
  return {
    id: e.id,
    type: e.type,
    actorId: e.actorId,
    targetType: e.targetType,
    targetId: e.targetId,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  };
}

/** Who acted: a user or an API key, or the system (actor null) for the scheduler and the queue consumers. */
export type AuditActor = { db: Db; now: Date; auth: { organizationId: string; actorId: string | null } };

/** The system acting for an organization (the scheduler, a consumer), on behalf of whoever started the work. */
export const systemActor = (db: Db, now: Date, subject: { organizationId: string; triggeredBy?: string | null }): AuditActor => ({
  db,
  now,
  auth: { organizationId: subject.organizationId, actorId: subject.triggeredBy ?? null },
});

/** Returns the insert without running it, so that callers batch it with the change it records. */
export function auditInsert(ctx: AuditActor, entry: AuditEntry) {
  return ctx.db.insert(auditEvents).values({
    id: newId(),
    organizationId: ctx.auth.organizationId,
    actorId: ctx.auth.actorId,
    type: entry.type,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    data: entry.data ?? {},
    createdAt: ctx.now,
  });
}

/**
 * The same row as a prepared statement written only if `condition` (SQL with `?` parameters) holds
 * when it runs: for a batch that changes something under a status guard and audits it in the same
 * round trip (no audit row when the guard lost).
 */
export function auditInsertIf(d1: D1Database, ctx: AuditActor, entry: AuditEntry, condition: string, ...params: unknown[]): D1PreparedStatement {
  return d1
    .prepare(
      `insert into audit_events (id, organization_id, actor_id, type, target_type, target_id, data, created_at)
       select ?, ?, ?, ?, ?, ?, ?, ? where ${condition}`,
    )
    .bind(
      newId(),
      ctx.auth.organizationId,
      ctx.auth.actorId,
      entry.type,
      entry.targetType ?? null,
      entry.targetId ?? null,
      JSON.stringify(entry.data ?? {}),
      ctx.now.getTime(),
      ...params,
    );
}
