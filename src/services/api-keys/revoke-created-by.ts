import { and, eq, isNull, sql } from "drizzle-orm";
import { apiKeys, type Role } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { outranks } from "../../domain/policy";
import type { ServiceContext } from "../context";

export type CreatorChange = { reason: "creator_removed" } | { reason: "creator_demoted"; role: Role };

/**
 * The writes that revoke the unrevoked keys a person created, for a batch with the change to that
 * person: all of them when they leave, those above their new role when demoted (a key may not do
 * more than the person who made it could now do). Each revocation is audited with the reason.
 */
export async function revokeKeysCreatedBy(ctx: ServiceContext, userId: string, change: CreatorChange) {
  const live = await ctx.db
    .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, role: apiKeys.role })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, ctx.auth.organizationId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)));
  const revoked = change.reason === "creator_demoted" ? live.filter((k) => outranks(k.role, change.role)) : live;
  if (!revoked.length) return { count: 0, writes: [] };
  const writes = [
    ctx.db
      .update(apiKeys)
      .set({ revokedAt: ctx.now })
      .where(
        and(
          eq(apiKeys.organizationId, ctx.auth.organizationId),
          // One JSON parameter, however many keys (D1 allows 100 bound parameters).
          sql`${apiKeys.id} in (select value from json_each(${JSON.stringify(revoked.map((k) => k.id))}))`,
          isNull(apiKeys.revokedAt),
        ),
      ),
    ...revoked.map((k) =>
      auditInsert(ctx, {
        type: "api_key.revoked",
        targetType: "api_key",
        targetId: k.id,
        data: { name: k.name, prefix: k.prefix, reason: change.reason, creator: userId },
      }),
    ),
  ];
  return { count: revoked.length, writes };
}
