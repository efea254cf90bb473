import { and, desc, eq, lt, sql } from "drizzle-orm";
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
 * A delivery with everything sending it needs, its next attempt claimed when it is plainly to be sent (see claimStatements), read in one round trip and every read scoped to the
 * message's organization: its execution, organization and report (which may have been deleted
 * since the run: executions outlive it, and its name then falls back), whether its address is
 * suppressed or its URL disabled, the organization's webhook secret row, and the link expiry of the
 * round's first attempt. Separate selects, not joins: a batch reads rows as objects, where shared
 * column names would collide.
 */
export async function loadDelivery(db: Db, job: { deliveryId: string; executionId: string; organizationId: string }, claim: ClaimTerms) {
  const { deliveryId, executionId, organizationId } = job;
  const recipientOf = (types: string) =>
    sql`(select recipient_value from report_deliveries where id = ${deliveryId} and organization_id = ${organizationId} and recipient_type in (${sql.raw(types)}))`;
  const [claimed, , deliveries, executions, orgs, reports, suppressions, disabled, secrets, attempts] = await db.batch([
    ...claimStatements(db, job, claim),
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
      .select({
        name: scheduledReports.name,
        createdBy: scheduledReports.createdBy,
        recipients: scheduledReports.recipients,
        parameters: scheduledReports.parameters,
      })
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
      .select({ linkExpiresAt: deliveryAttempts.linkExpiresAt, startedAt: deliveryAttempts.startedAt, finishedAt: deliveryAttempts.finishedAt })
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
  const attempt = claimed[0]?.attempts;
  const linkExpiresAt = attempts[0]?.linkExpiresAt;
  return {
    /** The attempt this load claimed (read after its attempt row, so the link expiry is the claim's), or null. */
    claim: attempt && linkExpiresAt ? { attempt, attemptId: claim.attemptId, linkExpiresAt } : null,
    delivery,
    execution,
    organization,
    report: {
      id: execution.scheduledReportId,
      name: report?.name ?? execution.fileName ?? "Deleted report",
      createdBy: report?.createdBy ?? null,
      /** The report's current recipients; null once the report is deleted. */
      recipients: report?.recipients ?? null,
      /** The parameters the run used: the report's, with the trigger's overrides over them. */
      runParameters: { ...(report?.parameters ?? {}), ...(execution.parameterOverrides ?? {}) },
    },
    /** What the refusal checks, the webhook signature and the claim need, read with the rest. */
    preloaded: {
      suppression: suppressions[0] ?? null,
      disabledEndpoint: disabled[0] ?? null,
      webhookSecret: secrets[0] ?? null,
      lastLinkExpiresAt: attempts[0]?.linkExpiresAt ?? null,
      /** When the latest attempt was claimed, if it has no outcome yet. */
      openAttemptStartedAt: attempts[0] && !attempts[0].finishedAt ? attempts[0].startedAt : null,
    },
  };
}

export type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

/**
 * How long a claimed attempt without an outcome counts as being sent by its consumer: longer than any
 * send may take (the channels time out within 30 s), shorter than the watchdog's 5 minutes before it
 * re-sends a lost message, so an attempt whose consumer died is taken over by that re-sent message.
 */
export const IN_FLIGHT_MS = 2 * 60_000;

/** What a load that also claims the next attempt needs: see claimStatements. */
export type ClaimTerms = { now: Date; attemptId: string; linkTtlMs: number; earlyToleranceMs: number; maxAttempts: number };

/**
 * The claim of the next attempt, in the load's own round trip (it comes first, so the reads after it
 * see its result). It claims only a delivery that deliverOnce would send: pending, not cancelled,
 * not waiting for a retry, under its attempt limit, its execution completed with a file, its
 * recipient still on the report. Anything else claims nothing, and deliverOnce decides from what the
 * load read, claiming in a round trip of its own if it then finds the delivery is to be sent. The
 * attempt row is written only if this claim won (its `updated_at` is the claim's time), with the
 * round's first link expiry for a later attempt, as `claimAttempt` does.
 */
function claimStatements(db: Db, job: { deliveryId: string; executionId: string; organizationId: string }, claim: ClaimTerms) {
  const { deliveryId, executionId, organizationId } = job;
  const t = claim.now.getTime();
  const update = db
    .update(reportDeliveries)
    .set({ attempts: sql`${reportDeliveries.attempts} + 1`, nextAttemptAt: null, updatedAt: claim.now })
    .where(
      and(
        eq(reportDeliveries.id, deliveryId),
        eq(reportDeliveries.organizationId, organizationId),
        eq(reportDeliveries.executionId, executionId),
        eq(reportDeliveries.status, "pending"),
        sql`coalesce(${reportDeliveries.failureClass}, '') <> 'recipient_removed'`,
        sql`coalesce(${reportDeliveries.nextAttemptAt}, 0) <= ${t + claim.earlyToleranceMs}`,
        lt(reportDeliveries.attempts, claim.maxAttempts),
        // No attempt of it in flight: a copy of the message arriving while another consumer sends waits
        // for deliverOnce's decision (decideUnclaimed), instead of claiming the attempt after it.
        sql`not exists (select 1 from delivery_attempts a where a.delivery_id = ${deliveryId} and a.finished_at is null and a.started_at > ${t - IN_FLIGHT_MS})`,
        sql`exists (select 1 from report_executions e where e.id = ${executionId} and e.organization_id = ${organizationId} and e.status = 'completed' and e.file_key is not null)`,
        sql`exists (select 1 from scheduled_reports r, json_each(r.recipients) j
                     where r.organization_id = ${organizationId}
                       and r.id = (select scheduled_report_id from report_executions where id = ${executionId} and organization_id = ${organizationId})
                       and json_extract(j.value, '$.type') = ${reportDeliveries.recipientType} and json_extract(j.value, '$.value') = ${reportDeliveries.recipientValue})`,
      ),
    )
    .returning({ attempts: reportDeliveries.attempts });
  const fresh = t + claim.linkTtlMs;
  // Drizzle names every column of delivery_attempts in its declared order: the values below follow it
  // (id, organization, delivery, attempt, started, then the outcome columns empty, link expiry).
  const attemptRow = db.insert(deliveryAttempts).select(
    sql`select ${claim.attemptId}, organization_id, id, attempts, ${t}, null, null, null, null, null, null, null,
               case when attempts > 1 then coalesce((select a.link_expires_at from delivery_attempts a where a.delivery_id = ${deliveryId} order by a.started_at desc limit 1), ${fresh}) else ${fresh} end
          from report_deliveries where id = ${deliveryId} and status = 'pending' and updated_at = ${t}`,
  );
  return [update, attemptRow] as const;
}

export async function findReport(db: Db, scheduledReportId: string, organizationId: string) {
  const [report] = await db
    .select({ name: scheduledReports.name, createdBy: scheduledReports.createdBy, recipients: scheduledReports.recipients })
    .from(scheduledReports)
    .where(and(eq(scheduledReports.id, scheduledReportId), eq(scheduledReports.organizationId, organizationId)));
  return report ?? null;
}
