import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { tenantKeyOf } from "../../domain/tenants";
import { NotFoundError } from "../../errors";
import { type OperatorContext, operatorActor } from "./context";
import { toOperatorOrganizationDto } from "./dto";
import { requireFreeTenantKey } from "./tenant-key";

export type UpdateOrganizationInput = { name?: string | undefined; dataTenantKey?: string | null | undefined };

/** Renames an organization or maps it onto another data tenant (null: back to its own id). */
export async function updateOrganization({ ctx, id, input }: { ctx: OperatorContext; id: string; input: UpdateOrganizationInput }) {
  const [current] = await ctx.db.select().from(organizations).where(eq(organizations.id, id));
  if (!current) throw new NotFoundError("Organization");
  if (input.dataTenantKey) await requireFreeTenantKey(ctx, input.dataTenantKey, id);
  const changes = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.dataTenantKey !== undefined ? { dataTenantKey: input.dataTenantKey === id ? null : input.dataTenantKey } : {}),
    updatedAt: ctx.now,
  };
  const next = { ...current, ...changes };
  await ctx.db.batch([
    ctx.db.update(organizations).set(changes).where(eq(organizations.id, id)),
    auditInsert(operatorActor(ctx, id), {
      type: "organization.updated",
      targetType: "organization",
      targetId: id,
      data: {
        by: "operator",
        ...(input.name !== undefined ? { name: { from: current.name, to: next.name } } : {}),
        ...(input.dataTenantKey !== undefined ? { dataTenantKey: { from: tenantKeyOf(current), to: tenantKeyOf(next) } } : {}),
      },
    }),
  ]);
  return { organization: toOperatorOrganizationDto(next) };
}
