import { and, eq } from "drizzle-orm";
import { organizations, users } from "../../db/schema";
import { requireUser } from "../../domain/policy";
import { NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";
import { toOrganizationDto, toUserDto } from "./dto";

export async function getMe({ ctx }: { ctx: ServiceContext }) {
  const [row] = await ctx.db
    .select({ user: users, organization: organizations })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(and(eq(users.id, requireUser(ctx.auth).userId), eq(users.organizationId, ctx.auth.organizationId)));
  if (!row) throw new NotFoundError("User");
  return { user: toUserDto(row.user), organization: toOrganizationDto(row.organization) };
}
