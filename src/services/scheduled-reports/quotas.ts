import { and, count, eq, ne } from "drizzle-orm";
import type { Quotas } from "../../config";
import type { Db } from "../../db/client";
import { scheduledReports } from "../../db/schema";
import { quotasOf, refuseOverQuota } from "../../domain/quotas";
import { shortestIntervalMinutes } from "../../lib/schedule";
import type { ServiceContext } from "../context";

/** What the quotas look at in one report's definition (a field left out is not checked: an update that does not change it). */
type Definition = { recipients?: unknown[]; cron?: string };

export const reportQuotas = async (ctx: ServiceContext) => (await quotasOf(ctx.db, ctx.env, ctx.auth.organizationId)).quotas;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/**
 * A report's own limits: its recipients, and how often its schedule runs (the shortest gap between
 * two consecutive runs). `prefix` places the refusal in a document (`reports.3.`). Refusals are
 * audited and thrown as quota_exceeded (422).
 */
export async function requireDefinitionWithinQuotas(ctx: ServiceContext, quotas: Quotas, d: Definition, prefix = "") {
  const recipients = quotas.recipientsPerReport;
  if (d.recipients && d.recipients.length > recipients) {
    await refuseOverQuota(
      ctx,
      "recipientsPerReport",
      recipients,
      `A report may have at most ${plural(recipients, "recipient")} (this one has ${d.recipients.length})`,
      `${prefix}recipients`,
    );
  }
  const minutes = quotas.minIntervalMinutes;
  const every = d.cron === undefined ? Number.POSITIVE_INFINITY : shortestIntervalMinutes(d.cron);
  if (every < minutes) {
    await refuseOverQuota(
      ctx,
      "minIntervalMinutes",
      minutes,
      `A schedule may run at most every ${plural(minutes, "minute")}; "${d.cron}" runs ${plural(every, "minute")} apart`,
      `${prefix}schedule`,
    );
  }
}

/** All reports of the organization, paused ones included. */
export async function reportCount(ctx: { db: Db; auth: { organizationId: string } }) {
  const [row] = await ctx.db.select({ n: count() }).from(scheduledReports).where(eq(scheduledReports.organizationId, ctx.auth.organizationId));
  return row?.n ?? 0;
}

/**
 * Room for `adding` more reports of any state when the organization has `existing`; with nothing
 * added (a resume), an organization already over the quota (the operator lowered it) may not put
 * one back to work until it deletes some. Checked before the write, like the active-report quota.
 */
export async function requireReportRoom(ctx: ServiceContext, quotas: Quotas, existing: number, adding = 1) {
  const limit = quotas.reports;
  if (existing + adding > limit) {
    await refuseOverQuota(
      ctx,
      "reports",
      limit,
      `The organization may have at most ${plural(limit, "report")}, paused ones included (it has ${existing.toLocaleString("en-US")}); delete one first`,
    );
  }
}

/** Active reports of the organization, leaving one report out (the one being changed). */
export async function activeReportCount(ctx: { db: Db; auth: { organizationId: string } }, exceptId?: string) {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(scheduledReports)
    .where(
      and(
        eq(scheduledReports.organizationId, ctx.auth.organizationId),
        eq(scheduledReports.isActive, true),
        exceptId ? ne(scheduledReports.id, exceptId) : undefined,
      ),
    );
  return row?.n ?? 0;
}

/**
 * Room for `adding` more active reports when `active` are active now. Checked before the write:
 * requests racing each other can each see the last free place (the limit is a guard against
 * runaway use, not a billing meter).
 */
export async function requireActiveReportRoom(ctx: ServiceContext, quotas: Quotas, active: number, adding = 1) {
  const limit = quotas.activeReports;
  if (adding > 0 && active + adding > limit) {
    await refuseOverQuota(
      ctx,
      "activeReports",
      limit,
      `The organization may have at most ${plural(limit, "active report")} (it has ${active.toLocaleString("en-US")}); pause or delete one first`,
    );
  }
}
