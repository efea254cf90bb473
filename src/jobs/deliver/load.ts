import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import {
  deliveryAttempts,
  disabledWebhookEndpoints,
  emailSuppressions,
  organizations,
  reportDeliveries,
  reportExecutions,
  scheduledReports,
  webhookSecrets,
} from "../../db/schema";

/**
 * A delivery with everything sending it needs, read in one round trip and every read scoped to the
 * message's organization: its execution, organization and report (which may have been deleted
 * since the run: executions outlive it, and its name then falls back), whether its address is
 * suppressed or its URL disabled, the organization's webhook secret row, and the link expiry of the
 * round's first attempt. Separate selects, not joins: a batch reads rows as objects, where shared
 * column names would collide.
 */
export async function loadDelivery(db: Db, job: { deliveryId: string; executionId: string; organizationId: string }) {
  const { deliveryId, executionId, organizationId } = job;
  const recipientOf = (types: string) =>
    sql`(select recipient_value from report_deliveries where id = ${deliveryId} and organization_id = ${organizationId} and recipient_type in (${sql.raw(types)}))`;
  const [deliveries, executions, orgs, reports, suppressions, disabled, secrets, attempts] = await db.batch([
    db
      .select()
      .from(reportDeliveries)
      .where(and(eq(reportDeliveries.id, deliveryId), eq(reportDeliveries.organizationId, organizationId))),
    db
      .select()
      .from(reportExecutions)
      .where(and(eq(reportExecutions.id, executionId), eq(reportExecutions.organizationId, organizationId))),
    db.select().from(organizations).where(eq(organizations.id, organizationId)),
    db
      .select({ name: scheduledReports.name, createdBy: scheduledReports.createdBy, recipients: scheduledReports.recipients })
      .from(scheduledReports)
      .where(
        and(
          eq(scheduledReports.organizationId, organizationId),
          eq(scheduledReports.id, sql`(select scheduled_report_id from report_executions where id = ${executionId} and organization_id = ${organizationId})`),
        ),
      ),
    db
      .select()
      .from(emailSuppressions)
      .where(and(eq(emailSuppressions.organizationId, organizationId), eq(emailSuppressions.email, sql`lower(${recipientOf("'email'")})`))),
    db
      .select()
      .from(disabledWebhookEndpoints)
      .where(and(eq(disabledWebhookEndpoints.organizationId, organizationId), eq(disabledWebhookEndpoints.url, recipientOf("'webhook', 'teams'")))),
    db.select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, organizationId)),
    db
      .select({ linkExpiresAt: deliveryAttempts.linkExpiresAt })
      .from(deliveryAttempts)
      .where(eq(deliveryAttempts.deliveryId, deliveryId))
      .orderBy(desc(deliveryAttempts.startedAt))
      .limit(1),
  ]);
  const delivery = deliveries[0];
  const execution = executions[0];
  const organization = orgs[0];
  // The message names the delivery's execution; one that does not is not this delivery's.
  if (!delivery || !execution || !organization || delivery.executionId !== execution.id) return null;
  const report = reports[0];
  return {
    delivery,
    execution,
    organization,
    report: {
      id: execution.scheduledReportId,
      name: report?.name ?? execution.fileName ?? "Deleted report",
      createdBy: report?.createdBy ?? null,
      /** The report's current recipients; null once the report is deleted. */
      recipients: report?.recipients ?? null,
    },
    /** What the refusal checks, the webhook signature and the claim need, read with the rest. */
    preloaded: {
      suppression: suppressions[0] ?? null,
      disabledEndpoint: disabled[0] ?? null,
      webhookSecret: secrets[0] ?? null,
      lastLinkExpiresAt: attempts[0]?.linkExpiresAt ?? null,
    },
  };
}

export type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

export async function findReport(db: Db, scheduledReportId: string, organizationId: string) {
  const [report] = await db
    .select({ name: scheduledReports.name, createdBy: scheduledReports.createdBy, recipients: scheduledReports.recipients })
    .from(scheduledReports)
    .where(and(eq(scheduledReports.id, scheduledReportId), eq(scheduledReports.organizationId, organizationId)));
  return report ?? null;
}
