import { and, count, eq, gt, isNull, or } from "drizzle-orm";
import type { Db } from "../../db/client";
import { apiKeys } from "../../db/schema";

/** The organization's keys that still work (neither revoked nor expired): what the apiKeys quota counts. */
export async function liveApiKeyCount(ctx: { db: Db; now: Date; auth: { organizationId: string } }) {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, ctx.auth.organizationId), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, ctx.now))));
  return row?.n ?? 0;
}
