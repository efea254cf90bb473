import { eq } from "drizzle-orm";
import { type Role, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole, requireUser } from "../../domain/policy";
import { ConflictError } from "../../errors";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { toUserDto } from "../auth/dto";
import type { ServiceContext } from "../context";

export type CreateUserInput = { email: string; name: string; role: Role; password: string };

export async function createUser({ ctx, input }: { ctx: ServiceContext; input: CreateUserInput }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const email = input.email.toLowerCase();
  const taken = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (taken.length) throw new ConflictError("An account with this email already exists");
  const user = {
    id: newId(),
    organizationId: ctx.auth.organizationId,
    email,
    name: input.name,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  await ctx.db.batch([
    ctx.db.insert(users).values(user),
    auditInsert(ctx, { type: "user.created", targetType: "user", targetId: user.id, data: { email, role: input.role } }),
  ]);
  return toUserDto(user);
}
