import { and, eq } from "drizzle-orm";
import { alertEmail } from "../../channels/email-templates";
import { slackText } from "../../channels/slack-app";
import { config } from "../../config";
import { createDb } from "../../db/client";
import { alerts, SYSTEM_ALERT_SCOPE, users } from "../../db/schema";
import { alertTargetsOf, operatorAlertTargets } from "../../domain/alert-routes";
import { signingSecrets } from "../../domain/webhook-secrets";
import { log } from "../../lib/log";
import type { AlertEvent } from "../messages";
import { done, type JobOutcome } from "../outcome";
import { type Notice, sendNotices } from "./notices";

type AlertRow = typeof alerts.$inferSelect;

/** The `alert.fired` / `alert.resolved` webhook payload (snake_case, as report webhooks are). */
export function alertPayload(alert: AlertRow, event: AlertEvent) {
  const system = alert.organizationId === SYSTEM_ALERT_SCOPE;
  return {
    event: `alert.${event}`,
    alert_id: alert.id,
    organization_id: system ? null : alert.organizationId,
    scope: system ? "system" : "organization",
    rule: alert.rule,
    severity: alert.severity,
    value: alert.value,
    threshold: alert.threshold,
    message: alert.message,
    window_start: alert.windowStart.toISOString(),
    fired_at: alert.createdAt.toISOString(),
    resolved_at: alert.resolvedAt?.toISOString() ?? null,
  };
}

function slackMessage(alert: AlertRow, event: AlertEvent, appUrl: string) {
  const rule = alert.rule.replace(/_/g, " ");
  const head =
    event === "fired"
      ? `:rotating_light: [${alert.severity}] ${rule}: ${alert.message}`
      : `:white_check_mark: Resolved: ${rule} (fired ${alert.createdAt.toISOString()}, cleared ${alert.resolvedAt?.toISOString() ?? "now"})`;
  return `${slackText(head)}\n${appUrl}/alerts`;
}

/**
 * Tells the people an alert concerns that it fired or cleared, on every route of its scope: the
 * organization's admins by email and its Slack and webhook routes (Settings → Alerts), or for a
 * system-wide alert the operator's (OPERATOR_EMAIL, OPERATOR_ALERT_SLACK_URL,
 * OPERATOR_ALERT_WEBHOOK_URL). One notice per alert, event and route, each sent once.
 */
export async function notifyAlert(env: Env, job: { alertId: string; organizationId: string; event: AlertEvent }, now: Date): Promise<JobOutcome> {
  const db = createDb(env.DB);
  const cfg = config(env);
  const [alert] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.id, job.alertId), eq(alerts.organizationId, job.organizationId)));
  if (!alert) return done("alert not found");
  if (job.event === "resolved" && !alert.resolvedAt) return done("alert is open again; nothing resolved to tell");
  const system = alert.organizationId === SYSTEM_ALERT_SCOPE;
  const targets = system ? operatorAlertTargets(cfg) : await alertTargetsOf(db, cfg.rootSecrets, alert.organizationId);
  if (targets.slackUnreadable)
    log("error", "alert Slack route unreadable (was JWT_SECRET rotated?); set it again in Settings", { organizationId: alert.organizationId });
  const emails = !targets.emailAdmins
    ? []
    : system
      ? cfg.alerts.operatorEmails
      : (
          await db
            .select({ email: users.email })
            .from(users)
            .where(and(eq(users.organizationId, alert.organizationId), eq(users.role, "admin")))
        ).map((u) => u.email);

  const prefix = job.event === "fired" ? "alert" : "alert_resolved";
  const base = { kind: "alert" as const, organizationId: alert.organizationId, alertId: alert.id };
  const resolvedNote = job.event === "resolved" ? `Resolved: ${alert.message}` : alert.message;
  const list: Notice[] = emails.map((recipient) => ({
    ...base,
    key: `${prefix}:${alert.id}:${recipient.toLowerCase()}`,
    recipient,
    via: {
      channel: "email",
      content: () =>
        alertEmail({
          rule: alert.rule,
          severity: alert.severity,
          message: resolvedNote,
          value: alert.value,
          threshold: alert.threshold,
          windowStart: alert.windowStart,
          scope: system ? "system" : "organization",
          appUrl: cfg.appUrl,
          resolvedAt: job.event === "resolved" ? alert.resolvedAt : null,
        }),
    },
  }));
  if (targets.slackUrl) {
    list.push({
      ...base,
      key: `${prefix}:${alert.id}:slack`,
      recipient: "Slack alert route",
      via: { channel: "slack", url: targets.slackUrl, text: slackMessage(alert, job.event, cfg.appUrl) },
    });
  }
  if (targets.webhookUrl) {
    const operatorSecret = targets.webhookSecret;
    list.push({
      ...base,
      key: `${prefix}:${alert.id}:webhook`,
      recipient: "Webhook alert route",
      via: {
        channel: "webhook",
        url: targets.webhookUrl,
        payload: alertPayload(alert, job.event),
        secrets: async () => (operatorSecret ? [operatorSecret] : signingSecrets(db, cfg.rootSecrets, alert.organizationId, now)),
      },
    });
  }
  if (!list.length) return done(system ? "no operator alert route is configured" : "the organization has no alert route and no admin");
  return sendNotices(env, db, list, now);
}
