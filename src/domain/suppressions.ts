import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { emailSuppressions } from "../db/schema";
import { newId } from "../lib/ids";

export async function findSuppression(db: Db, organizationId: string, email: string) {
  const [row] = await db
    .select()
    .from(emailSuppressions)
    .where(and(eq(emailSuppressions.organizationId, organizationId), eq(emailSuppressions.email, email.toLowerCase())));
  return row ?? null;
}

/** The insert (not run), to batch with the delivery it came from; an address already suppressed stays as it was. */
export function suppressAddress(
  db: Db,
  s: { organizationId: string; email: string; source: "bounce" | "complaint"; provider: string; reason: string; deliveryId: string | null; now: Date },
) {
  return db
    .insert(emailSuppressions)
    .values({
      id: newId(),
      organizationId: s.organizationId,
      email: s.email.toLowerCase(),
      source: s.source,
      provider: s.provider,
      reason: s.reason.slice(0, 1000),
      deliveryId: s.deliveryId,
      createdAt: s.now,
    })
    .onConflictDoNothing();
}
