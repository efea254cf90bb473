import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { disabledWebhookEndpoints } from "../db/schema";
import { newId } from "../lib/ids";

export async function findDisabledEndpoint(db: Db, organizationId: string, url: string) {
  const [row] = await db
    .select()
    .from(disabledWebhookEndpoints)
    .where(and(eq(disabledWebhookEndpoints.organizationId, organizationId), eq(disabledWebhookEndpoints.url, url)));
  return row ?? null;
}

/** The insert (not run): a URL that answered 410 Gone gets no more deliveries from this organization. */
export function disableEndpoint(db: Db, e: { organizationId: string; url: string; reason: string; deliveryId: string; now: Date }) {
  return db
    .insert(disabledWebhookEndpoints)
    .values({ id: newId(), organizationId: e.organizationId, url: e.url, reason: e.reason.slice(0, 1000), deliveryId: e.deliveryId, createdAt: e.now })
    .onConflictDoNothing();
}
