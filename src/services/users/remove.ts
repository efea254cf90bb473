import { and, eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { ConflictError } from "../../errors";
import type { ServiceContext } from "../context";
import { countAdmins, findUser } from "./find";

/** Their sessions go with them (foreign key cascade); their reports stay, managed by admins. */
export async function removeUser({ ctx, id }: { ctx: ServiceContext; id: string }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const user = await findUser(ctx, id);
  if (user.id === ctx.auth.userId) throw new ConflictError("You cannot delete your own account");
  if (user.role === "admin" && (await countAdmins(ctx)) <= 1) throw new ConflictError("An organization needs at least one admin");
  await ctx.db.batch([
    ctx.db.delete(users).where(and(eq(users.id, id), eq(users.organizationId, ctx.auth.organizationId))),
    auditInsert(ctx, { type: "user.deleted", targetType: "user", targetId: id, data: { email: user.email } }),
  ]);
}
