import { and, eq, ne, or } from "drizzle-orm";
import { organizations } from "../../db/schema";
import { ConflictError } from "../../errors";
import type { OperatorContext } from "./context";

/**
 * A data tenant key may belong to one organization only: neither another organization's key nor
 * another organization's id (which is that organization's key while it has none).
 */
export async function requireFreeTenantKey(ctx: OperatorContext, key: string, exceptOrganizationId: string | null) {
  const [taken] = await ctx.db
    .select({ id: organizations.id })
    .from(organizations)
    .where(
      and(or(eq(organizations.dataTenantKey, key), eq(organizations.id, key)), exceptOrganizationId ? ne(organizations.id, exceptOrganizationId) : undefined),
    )
    .limit(1);
  if (taken) throw new ConflictError(`The data tenant key "${key}" already belongs to another organization`);
}
