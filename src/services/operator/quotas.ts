import { eq } from "drizzle-orm";
import { config } from "../../config";
import { organizationQuotas, organizations } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { QUOTA_NAMES, quotasOf } from "../../domain/quotas";
import { NotFoundError } from "../../errors";
import type { QuotaOverridesInput } from "../quotas/schema";
import { quotasWithUsage } from "../quotas/usage";
import { type OperatorContext, operatorActor } from "./context";

async function requireOrganization(ctx: OperatorContext, id: string) {
  const [org] = await ctx.db.select({ id: organizations.id }).from(organizations).where(eq(organizations.id, id));
  if (!org) throw new NotFoundError("Organization");
}

/** An organization's quotas in force, the operator's overrides and its usage. */
export async function getOrganizationQuotas({ ctx, id }: { ctx: OperatorContext; id: string }) {
  await requireOrganization(ctx, id);
  return quotasWithUsage(ctx, id);
}

/**
 * Sets some of an organization's overrides (null: back to the default; left out: unchanged), audited
 * in the organization with each changed override's old and new value and the limits in force.
 * Lowering a quota below what is used refuses new work over it; nothing existing is removed.
 */
export async function setOrganizationQuotas({ ctx, id, input }: { ctx: OperatorContext; id: string; input: QuotaOverridesInput }) {
  await requireOrganization(ctx, id);
  const { overrides: before, quotas } = await quotasOf(ctx.db, ctx.env, id);
  const defaults = config(ctx.env).quotas;
  const after = { ...before };
  // from/to: the override (null: the default); inForce: the limit that applied before and applies after.
  const changes: Record<string, { from: number | null; to: number | null; inForce: { from: number; to: number } }> = {};
  for (const name of QUOTA_NAMES) {
    const value = input[name];
    if (value === undefined || value === before[name]) continue;
    after[name] = value;
    changes[name] = { from: before[name], to: value, inForce: { from: quotas[name], to: value ?? defaults[name] } };
  }
  if (Object.keys(changes).length) {
    const row = { ...after, updatedAt: ctx.now };
    await ctx.db.batch([
      ctx.db
        .insert(organizationQuotas)
        .values({ organizationId: id, ...row })
        .onConflictDoUpdate({ target: organizationQuotas.organizationId, set: row }),
      auditInsert(operatorActor(ctx, id), {
        type: "organization.quotas_updated",
        targetType: "organization",
        targetId: id,
        data: { by: "operator", changes },
      }),
    ]);
  }
  return quotasWithUsage(ctx, id);
}
