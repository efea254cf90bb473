import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { tenantKeyOf } from "../../domain/tenants";
import { NotFoundError, TenantKeyUnmatchedError } from "../../errors";
import { countTenantRows } from "../../reports/tenant-rows";
import { type OperatorContext, operatorActor } from "./context";
import { toOperatorOrganizationDto } from "./dto";
import { requireFreeTenantKey } from "./tenant-key";

export type UpdateOrganizationInput = {
  name?: string | undefined;
  dataTenantKey?: string | null | undefined;
  /** Answer what the change would do (and what the key matches) without changing anything. */
  dryRun?: boolean | undefined;
  /** Map onto a key that matches no rows anyway (a tenant whose data is not loaded yet). */
  force?: boolean | undefined;
};

/**
 * Renames an organization or maps it onto another data tenant (null: back to its own id). A remap
 * answers with the rows the new key matches per data source; a key that matches none is refused
 * unless forced, since every report of the organization would run empty with it.
 */
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
  const matches = input.dataTenantKey !== undefined ? await countTenantRows(ctx.env, tenantKeyOf(next)) : null;
  const dryRun = input.dryRun === true;
  if (matches && matches.totalRows === 0 && !input.force && !dryRun) {
    const unanswered = matches.sources.filter((s) => s.status === "error").map((s) => s.source);
    throw new TenantKeyUnmatchedError(
      `The data tenant key "${tenantKeyOf(next)}" matches no rows in ${matches.sources.map((s) => s.source).join(", ")}${unanswered.length ? ` (${unanswered.join(", ")} did not answer)` : ""}: every report of the organization would run empty. Check the key, or send "force": true to map it anyway`,
      matches.sources.map((s) => ({
        path: `matches.${s.source}`,
        message: s.status === "ok" ? "0 rows" : s.status === "error" ? `not counted: ${s.error}` : "not configured",
      })),
    );
  }
  if (dryRun) return { organization: toOperatorOrganizationDto(current), matches, applied: false };
  await ctx.db.batch([
    ctx.db.update(organizations).set(changes).where(eq(organizations.id, id)),
    auditInsert(operatorActor(ctx, id), {
      type: "organization.updated",
      targetType: "organization",
      targetId: id,
      data: {
        by: "operator",
        ...(input.name !== undefined ? { name: { from: current.name, to: next.name } } : {}),
        ...(input.dataTenantKey !== undefined
          ? {
              dataTenantKey: { from: tenantKeyOf(current), to: tenantKeyOf(next) },
              matchedRows: matches?.totalRows ?? 0,
              ...(input.force ? { forced: true } : {}),
            }
          : {}),
      },
    }),
  ]);
  return { organization: toOperatorOrganizationDto(next), matches, applied: true };
}
