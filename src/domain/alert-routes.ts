import { and, eq } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { alertRoutes } from "../db/schema";
import { openSealed, type RootSecrets, seal } from "../lib/sealed";

/** The HKDF label of the key that seals alert routes' Slack URLs (their own key). */
const SLACK_URL_LABEL = "scheduled-reports/alert-slack-urls/v1";

export type AlertRouteRow = typeof alertRoutes.$inferSelect;

/** Where one scope's alerts go. A Slack URL that no longer opens (JWT_SECRET rotated) is reported, not dropped silently. */
export type AlertTargets = {
  emailAdmins: boolean;
  slackUrl: string | null;
  slackUnreadable: boolean;
  webhookUrl: string | null;
  /** The operator's own webhook secret; null for an organization, whose webhook signing secrets sign its alerts. */
  webhookSecret: string | null;
};

export const sealAlertSlackUrl = (rootSecret: string, organizationId: string, url: string) => seal(rootSecret, SLACK_URL_LABEL, url, organizationId);

export async function findAlertRoutes(db: Db, organizationId: string): Promise<AlertRouteRow | null> {
  const [row] = await db.select().from(alertRoutes).where(eq(alertRoutes.organizationId, organizationId));
  return row ?? null;
}

/**
 * An organization's routes, the Slack URL unsealed; no row is the default (email to the admins only).
 * A Slack URL sealed under the previous root secret is sealed again under the current key and written back.
 */
export async function alertTargetsOf(db: Db, roots: RootSecrets, organizationId: string): Promise<AlertTargets> {
  const row = await findAlertRoutes(db, organizationId);
  if (!row) return { emailAdmins: true, slackUrl: null, slackUnreadable: false, webhookUrl: null, webhookSecret: null };
  const sealed = row.slackUrlSealed;
  const opened = sealed ? await openSealed(roots.current, SLACK_URL_LABEL, sealed, organizationId, roots.previous) : null;
  const slackUrl = opened?.ok ? opened.plaintext : null;
  if (sealed && opened?.ok && opened.stale) {
    // Guarded on the value read: a change of routes at the same time wins.
    await db
      .update(alertRoutes)
      .set({ slackUrlSealed: await sealAlertSlackUrl(roots.current, organizationId, opened.plaintext) })
      .where(and(eq(alertRoutes.organizationId, organizationId), eq(alertRoutes.slackUrlSealed, sealed)));
  }
  return { emailAdmins: row.emailAdmins, slackUrl, slackUnreadable: Boolean(row.slackUrlSealed) && !slackUrl, webhookUrl: row.webhookUrl, webhookSecret: null };
}

/** The operator's routes for system-wide alerts, from configuration. */
export function operatorAlertTargets(cfg: Config): AlertTargets {
  const a = cfg.alerts;
  return {
    emailAdmins: true,
    slackUrl: a.operatorSlackUrl,
    slackUnreadable: false,
    webhookUrl: a.operatorWebhook?.url ?? null,
    webhookSecret: a.operatorWebhook?.secret ?? null,
  };
}
