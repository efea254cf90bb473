import { eq } from "drizzle-orm";
import { config } from "../../config";
import { organizations } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { quotasOf, refuseOverQuota } from "../../domain/quotas";
import { tenantKeyOf } from "../../domain/tenants";
import { ValidationError } from "../../errors";
import { checkOutboundUrl } from "../../lib/url-safety";
import { forgetLogo } from "../../reports/pdf/logo";
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

/**
 * What identifies the organization's rows in the report data sources, for admins (a developer
 * writing a report type on their own data needs it): its id and its data tenant key.
 */
const identityOf = (o: Org) => ({ organization: { id: o.id, dataTenantKey: tenantKeyOf(o) } });

export async function getSettings({ ctx }: { ctx: ServiceContext }) {
  const org = await loadOrganization(ctx);
  return { ...toSettingsDto(org), ...(ctx.auth.role === "admin" ? identityOf(org) : {}) };
}

/** JSON with object keys sorted, so that two equal settings compare equal whatever their key order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );

/** Each setting whose value changes, with its old and new value (settings hold no secrets). */
function changedSettings(before: ReturnType<typeof toSettingsDto>, input: UpdateSettingsInput) {
  return Object.fromEntries(
    Object.entries(input)
      .filter(([key, to]) => canonical(to) !== canonical(before[key as keyof typeof before]))
      .map(([key, to]) => [key, { from: before[key as keyof typeof before], to }]),
  );
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
  // The logo is fetched by the server when a PDF is made (reports/pdf/logo.ts): refuse at once what it would refuse then.
  const logoUrl = input.pdfBranding?.logoUrl;
  const logoCheck = logoUrl ? checkOutboundUrl(logoUrl, { allowLoopback: config(ctx.env).localDev }) : null;
  if (logoCheck && !logoCheck.ok) {
    throw new ValidationError("The PDF logo URL is not allowed", [{ path: "pdfBranding.logoUrl", message: `The logo URL ${logoCheck.reason}` }]);
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
    auditInsert(ctx, {
      type: "settings.updated",
      targetType: "organization",
      targetId: org.id,
      data: { fields: Object.keys(input), changes: changedSettings(toSettingsDto(org), input) },
    }),
  ]);
  // Saving the branding fetches the logo afresh for the next PDF.
  if (input.pdfBranding) await forgetLogo(ctx.env, org.id);
  const next = { ...org, ...changes };
  return { ...toSettingsDto(next), ...identityOf(next) };
}
