import type { Quotas } from "../../config";
import type { reportExecutions } from "../../db/schema";
import { usageOf } from "../../domain/usage";
import { permanent } from "../../errors";
import { reportQuotaRefusal } from "../alerts/quota-refused";

/**
 * A run starts only while its organization has storage left: at or over the storage quota it fails
 * for good with the class quota_exceeded (its creator gets the usual failure notice, the admins an
 * alert). Files already kept stay; runs go again once retention or a raised quota makes room.
 * `storedBytes` is the organization's counter when the caller already read it.
 */
export async function requireStorageRoom(env: Env, execution: typeof reportExecutions.$inferSelect, quotas: Quotas, now: Date, storedBytes?: number) {
  // The run's load batch read the counter; only an organization without one yet costs a round trip here.
  const used = storedBytes ?? (await usageOf(env.DB, execution.organizationId, now)).storageBytes;
  const limit = quotas.storageBytes;
  if (used < limit) return;
  const message = `The organization's storage quota is used up (${gib(used)} of ${gib(limit)} of report files kept); the run did not start. Files are freed by retention, or ask for a larger quota`;
  await reportQuotaRefusal(env, { organizationId: execution.organizationId, actorId: execution.triggeredBy, quota: "storageBytes", limit, used, message }, now);
  throw permanent(message, "quota_exceeded");
}

const gib = (bytes: number) => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${bytes.toLocaleString("en-US")} bytes`);
