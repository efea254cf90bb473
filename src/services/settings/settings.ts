import { eq } from "drizzle-orm";
import { organizations } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { quotasOf, refuseOverQuota } from "../../domain/quotas";
import { ValidationError } from "../../errors";
import { getReportType } from "../../reports/registry";
import type { ServiceContext } from "../context";
import { loadOrganization } from "../scheduled-reports/normalize";
import type { UpdateSettingsInput } from "./schema";

type Org = Awaited<ReturnType<typeof loadOrganization>>;

const toSettingsDto = (o: Org) => ({
  retentionDays: o.retentionDays,
  emailSenderName: o.emailSenderName,
  allowedEmailDomains: o.allowedEmailDomains,
  pdfBranding: o.pdfBranding,
  disabledReportTypes: o.disabledReportTypes,
});

export async function getSettings({ ctx }: { ctx: ServiceContext }) {
  return toSettingsDto(await loadOrganization(ctx));
}

export async function updateSettings({ ctx, input }: { ctx: ServiceContext; input: UpdateSettingsInput }) {
  requireRole(ctx.auth, "admin");
  const unknown = (input.disabledReportTypes ?? []).filter((id) => !getReportType(id));
  if (unknown.length) {
    throw new ValidationError(
      "Unknown report types",
      unknown.map((id) => ({ path: "disabledReportTypes", message: `No report type "${id}"` })),
    );
  }
  if (input.retentionDays !== undefined) {
    const limit = (await quotasOf(ctx.db, ctx.env, ctx.auth.organizationId)).quotas.retentionDays;
    if (input.retentionDays > limit) {
      await refuseOverQuota(ctx, "retentionDays", limit, `Files may be kept at most ${limit.toLocaleString("en-US")} days`, "retentionDays");
    }
  }
  const org = await loadOrganization(ctx);
  const changes = { ...input, updatedAt: ctx.now };
  await ctx.db.batch([
    ctx.db.update(organizations).set(changes).where(eq(organizations.id, ctx.auth.organizationId)),
    auditInsert(ctx, { type: "settings.updated", targetType: "organization", targetId: org.id, data: { fields: Object.keys(input) } }),
  ]);
  return toSettingsDto({ ...org, ...changes });
}
