import { createDb } from "../../db/client";
import { auditQuotaRefusal, type QuotaName } from "../../domain/quotas";
import { recordAlerts } from "./record-alerts";

const DAY = 86_400_000;

/**
 * Background work refused for a quota (a run for storage, a report email for the day's emails): the
 * refusal is audited (at most once an hour per quota) and the organization's admins are told by an
 * alert, raised at most once a day per quota, whose email goes out through the notices.
 */
export async function reportQuotaRefusal(
  env: Env,
  refusal: {
    organizationId: string;
    actorId: string | null;
    quota: Extract<QuotaName, "storageBytes" | "emailsPerDay">;
    limit: number;
    used: number;
    message: string;
  },
  now: Date,
) {
  await auditQuotaRefusal(createDb(env.DB), refusal, now);
  await recordAlerts(
    env,
    [
      {
        organizationId: refusal.organizationId,
        rule: refusal.quota === "storageBytes" ? "storage_quota_exceeded" : "email_quota_exceeded",
        windowStart: Math.floor(now.getTime() / DAY) * DAY,
        severity: "critical",
        value: refusal.used,
        threshold: refusal.limit,
        message: refusal.message,
      },
    ],
    now,
  );
}
