import { DeliveryFailure } from "../../channels/types";
import { createDb } from "../../db/client";
import { quotasOf } from "../../domain/quotas";
import { claimEmail, usageDay } from "../../domain/usage";
import { reportQuotaRefusal } from "../alerts/quota-refused";

/**
 * Counts a report email against the organization's emails a day (UTC), or says why it may not go:
 * over the quota the delivery fails for good with the class quota_exceeded and its reason (it is not
 * put off to the next day: a report sent a day late is rarely what anyone wants, and the failure
 * shows in the history), and the admins are told once a day by an alert. Retry it once the quota
 * allows (the next UTC day, or a raised quota).
 */
export async function claimReportEmail(env: Env, delivery: { organizationId: string; triggeredBy: string | null }, now: Date): Promise<DeliveryFailure | null> {
  const { quotas } = await quotasOf(createDb(env.DB), env, delivery.organizationId);
  const limit = quotas.emailsPerDay;
  if (await claimEmail(env.DB, delivery.organizationId, limit, now)) return null;
  const message = `Not sent: the organization's report emails for ${usageDay(now)} (UTC) are used up (${limit.toLocaleString("en-US")} a day); retry it tomorrow or ask for a larger quota`;
  await reportQuotaRefusal(
    env,
    { organizationId: delivery.organizationId, actorId: delivery.triggeredBy, quota: "emailsPerDay", limit, used: limit, message },
    now,
  );
  return new DeliveryFailure("quota_exceeded", message);
}
