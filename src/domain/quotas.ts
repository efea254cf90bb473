import { sql } from "drizzle-orm";
import { config, type Quotas } from "../config";
import type { Db } from "../db/client";
import { organizationQuotas } from "../db/schema";
import { QuotaExceededError } from "../errors";
import { newId } from "../lib/ids";

/*
 * Per-organization quotas: the deployment's defaults (QUOTA_* in config) unless the operator
 * overrode one for the organization (organization_quotas). Requests that would go over a quota are
 * refused with 422 quota_exceeded before anything is written; background work over a quota (report
 * emails, storage) fails with the class quota_exceeded. Every refusal is audited as
 * `quota.exceeded`, at most once an hour per organization and quota.
 */

export const QUOTA_NAMES = [
  "activeReports",
  "reports",
  "apiKeys",
  "recipientsPerReport",
  "minIntervalMinutes",
  "storageBytes",
  "emailsPerDay",
  "retentionDays",
  "concurrentRuns",
] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];
export type QuotaOverrides = { [K in QuotaName]: number | null };

/** The organization's quotas in force, and which of them the operator set (null: the default). */
export async function quotasOf(db: Db, env: Env, organizationId: string): Promise<{ quotas: Quotas; overrides: QuotaOverrides }> {
  const row = await db.query.organizationQuotas.findFirst({ where: (q, { eq }) => eq(q.organizationId, organizationId) });
  return quotasFrom(env, row ?? null);
}

/** The same from the organization's overrides row, already read (null: none). */
export function quotasFrom(env: Env, row: Partial<QuotaOverrides> | null): { quotas: Quotas; overrides: QuotaOverrides } {
  const defaults = config(env).quotas;
  const overrides = Object.fromEntries(QUOTA_NAMES.map((name) => [name, row?.[name] ?? null])) as QuotaOverrides;
  const quotas = Object.fromEntries(QUOTA_NAMES.map((name) => [name, overrides[name] ?? defaults[name]])) as Quotas;
  return { quotas, overrides };
}

/** The quotas of every organization in force, as SQL over `organization_quotas q` (left-joined): for scans across organizations. */
export const effectiveQuotaSql = (env: Env, name: "storageBytes" | "retentionDays") => {
  const column = { storageBytes: organizationQuotas.storageBytes.name, retentionDays: organizationQuotas.retentionDays.name }[name];
  return `coalesce(q.${column}, ${Math.trunc(config(env).quotas[name])})`;
};

const HOUR = 3_600_000;

/**
 * Audits a refusal as `quota.exceeded` (target: the quota), unless one for the same organization and
 * quota was recorded in the hour before: a client retrying in a loop does not flood the audit log.
 * One statement, so two refusals at once record one event. Returns whether it recorded one.
 */
export async function auditQuotaRefusal(
  db: Db,
  refusal: { organizationId: string; actorId: string | null; quota: QuotaName; limit: number; message: string },
  now: Date,
): Promise<boolean> {
  const data = JSON.stringify({ quota: refusal.quota, limit: refusal.limit, message: refusal.message });
  const result = await db.run(sql`
    insert into audit_events (id, organization_id, actor_id, type, target_type, target_id, data, created_at)
    select ${newId()}, ${refusal.organizationId}, ${refusal.actorId}, 'quota.exceeded', 'quota', ${refusal.quota}, ${data}, ${now.getTime()}
     where not exists (
       select 1 from audit_events where organization_id = ${refusal.organizationId} and type = 'quota.exceeded'
          and target_id = ${refusal.quota} and created_at > ${now.getTime() - HOUR})`);
  return (result.meta.changes ?? 0) > 0;
}

/** A request over a quota: audited (see above), then refused with the quota and its limit named. */
export async function refuseOverQuota(
  ctx: { db: Db; now: Date; auth: { organizationId: string; actorId: string | null } },
  quota: QuotaName,
  limit: number,
  message: string,
  path?: string,
): Promise<never> {
  await auditQuotaRefusal(ctx.db, { organizationId: ctx.auth.organizationId, actorId: ctx.auth.actorId, quota, limit, message }, ctx.now);
  throw new QuotaExceededError(message, [{ ...(path ? { path } : {}), message: `${quota}: the limit is ${limit}`, code: quota }]);
}
