import { and, eq } from "drizzle-orm";
import { alertEmail } from "../../channels/email-templates";
import { config } from "../../config";
import { createDb } from "../../db/client";
import { alerts, SYSTEM_ALERT_SCOPE, users } from "../../db/schema";
import { done, type JobOutcome } from "../outcome";
import { sendNotices } from "./notices";

/**
 * Tells the people an alert concerns: the organization's admins, or for a system-wide alert the
 * operator (OPERATOR_EMAIL, comma-separated). One notice per alert and recipient, each sent once.
 */
export async function notifyAlert(env: Env, job: { alertId: string; organizationId: string }, now: Date): Promise<JobOutcome> {
  const db = createDb(env.DB);
  const [alert] = await db
    .select()
    .from(alerts)
    .where(and(eq(alerts.id, job.alertId), eq(alerts.organizationId, job.organizationId)));
  if (!alert) return done("alert not found");
  const system = alert.organizationId === SYSTEM_ALERT_SCOPE;
  const recipients = system
    ? config(env).alerts.operatorEmails
    : (
        await db
          .select({ email: users.email })
          .from(users)
          .where(and(eq(users.organizationId, alert.organizationId), eq(users.role, "admin")))
      ).map((u) => u.email);
  if (!recipients.length) return done(system ? "no OPERATOR_EMAIL to tell" : "the organization has no admin");
  const content = () =>
    alertEmail({
      rule: alert.rule,
      severity: alert.severity,
      message: alert.message,
      value: alert.value,
      threshold: alert.threshold,
      windowStart: alert.windowStart,
      scope: system ? "system" : "organization",
      appUrl: config(env).appUrl,
    });
  return sendNotices(
    env,
    db,
    recipients.map((recipient) => ({
      key: `alert:${alert.id}:${recipient.toLowerCase()}`,
      kind: "alert" as const,
      organizationId: alert.organizationId,
      alertId: alert.id,
      recipient,
      content,
    })),
    now,
  );
}
