import { and, eq, isNull } from "drizzle-orm";
import { apiKeys } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";

/** A revoked key is refused from its next request on. Revoking twice is harmless (and audited once). */
export async function revokeApiKey({ ctx, id }: { ctx: ServiceContext; id: string }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const scoped = and(eq(apiKeys.id, id), eq(apiKeys.organizationId, ctx.auth.organizationId));
  const [key] = await ctx.db.select({ name: apiKeys.name, prefix: apiKeys.prefix, revokedAt: apiKeys.revokedAt }).from(apiKeys).where(scoped);
  if (!key) throw new NotFoundError("API key");
  if (key.revokedAt) return;
  await ctx.db.batch([
    ctx.db
      .update(apiKeys)
      .set({ revokedAt: ctx.now })
      .where(and(scoped, isNull(apiKeys.revokedAt))),
    auditInsert(ctx, { type: "api_key.revoked", targetType: "api_key", targetId: id, data: { name: key.name, prefix: key.prefix } }),
  ]);
}
