import { deliveryFailedEmail } from "../../channels/email-templates";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { done, type JobOutcome } from "../outcome";
import type { LoadedDelivery } from "./load";
import { firstUserEmail, sendNotice } from "./notices";

/**
 * Tells the report's creator that a delivery ended failed or bounced (except for the email quota, see below). The key includes the time
 * the delivery ended, so a redelivered message finds the same notice, while a failure after a
 * manual retry is a new one.
 */
export async function notifyDeliveryFailed(env: Env, db: Db, loaded: LoadedDelivery, now: Date): Promise<JobOutcome> {
  const { delivery, execution, report } = loaded;
  // One email per delivery refused for the day's email quota would flood the creator exactly when
  // there are many; the admins get the day's quota alert instead (jobs/deliver/email-quota.ts).
  if (delivery.failureClass === "quota_exceeded") return done("refused for the email quota: the admins were alerted");
  return sendNotice(
    env,
    db,
    {
      key: `delivery_failed:${delivery.id}:${delivery.updatedAt.getTime()}`,
      kind: "delivery_failed",
      organizationId: delivery.organizationId,
      executionId: execution.id,
      deliveryId: delivery.id,
      recipient: await firstUserEmail(db, delivery.organizationId, [report.createdBy, execution.triggeredBy]),
      via: {
        channel: "email",
        content: () =>
          deliveryFailedEmail({
            reportName: report.name,
            executionId: execution.id,
            recipientType: delivery.recipientType,
            recipient: delivery.recipientValue,
            status: delivery.status,
            attempts: delivery.attempts,
            error: delivery.lastError ?? "unknown",
            appUrl: config(env).appUrl,
          }),
      },
    },
    now,
  );
}
