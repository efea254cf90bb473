import { and, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";

/** A user of the caller's organization, or 404: another organization's user does not exist for us. */
export async function findUser(ctx: ServiceContext, id: string) {
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.organizationId, ctx.auth.organizationId)));
  if (!user) throw new NotFoundError("User");
  return user;
}

export async function countAdmins(ctx: ServiceContext) {
  const admins = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, ctx.auth.organizationId), eq(users.role, "admin")));
  return admins.length;
}
