import { config } from "../../config";
import { alertRoutes } from "../../db/schema";
import { alertTargetsOf, findAlertRoutes, sealAlertSlackUrl } from "../../domain/alert-routes";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { maskUrl } from "../../domain/recipients";
import { ValidationError } from "../../errors";
import { checkOutboundUrl } from "../../lib/url-safety";
import type { ServiceContext } from "../context";
import { toAlertRoutesDto } from "./dto";
import type { UpdateAlertRoutesInput } from "./schema";

/**
 * Changes where the organization's alerts go (admins). Fields left out keep their value; null
 * removes a route. URLs pass the same outbound check as recipients' (checked again at each send).
 * The audit entry names what changed, old and new, with URLs masked.
 */
export async function updateAlertRoutes({ ctx, input }: { ctx: ServiceContext; input: UpdateAlertRoutesInput }) {
  requireRole(ctx.auth, "admin");
  const cfg = config(ctx.env);
  const org = ctx.auth.organizationId;
  const details = (["slackUrl", "webhookUrl"] as const).flatMap((path) => {
    const value = input[path];
    if (!value) return [];
    const check = checkOutboundUrl(value, { allowLoopback: cfg.localDev });
    return check.ok ? [] : [{ path, message: `The URL ${check.reason}` }];
  });
  if (details.length) throw new ValidationError("Some alert routes cannot be used", details);

  // Read first: it may seal a stale Slack URL again, which `before` then keeps.
  const current = await alertTargetsOf(ctx.db, cfg.rootSecrets, org);
  const before = await findAlertRoutes(ctx.db, org);
  const slackSealed =
    input.slackUrl === undefined
      ? (before?.slackUrlSealed ?? null)
      : input.slackUrl === null
        ? null
        : await sealAlertSlackUrl(cfg.auth.jwtSecret, org, input.slackUrl);
  const next = {
    organizationId: org,
    emailAdmins: input.emailAdmins ?? current.emailAdmins,
    slackUrlSealed: slackSealed,
    webhookUrl: input.webhookUrl === undefined ? current.webhookUrl : input.webhookUrl,
    updatedAt: ctx.now,
  };
  const shown = (url: string | null) => (url ? maskUrl(url) : null);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  if (next.emailAdmins !== current.emailAdmins) changed.emailAdmins = { from: current.emailAdmins, to: next.emailAdmins };
  if (input.slackUrl !== undefined && input.slackUrl !== current.slackUrl) changed.slackUrl = { from: shown(current.slackUrl), to: shown(input.slackUrl) };
  if (next.webhookUrl !== current.webhookUrl) changed.webhookUrl = { from: current.webhookUrl, to: next.webhookUrl };

  await ctx.db.batch([
    ctx.db.insert(alertRoutes).values(next).onConflictDoUpdate({ target: alertRoutes.organizationId, set: next }),
    auditInsert(ctx, { type: "alert_routes.updated", targetType: "organization", targetId: org, data: { changed } }),
  ]);
  return toAlertRoutesDto(next, input.slackUrl === undefined ? current.slackUrl : input.slackUrl, ctx.auth.role);
}
