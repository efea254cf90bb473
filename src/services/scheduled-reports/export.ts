import { asc, eq } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { recipientsFor } from "../../domain/recipients";
import type { ServiceContext } from "../context";
import { definitionOf } from "./definition";

/**
 * The organization's reports as one document (any role may read it): keyed reports first, by key,
 * then the ones without a key by name. Only keyed reports can be matched by `apply`.
 */
export async function exportScheduledReports({ ctx }: { ctx: ServiceContext }) {
  const rows = await ctx.db
    .select()
    .from(scheduledReports)
    .where(eq(scheduledReports.organizationId, ctx.auth.organizationId))
    .orderBy(asc(scheduledReports.key), asc(scheduledReports.name), asc(scheduledReports.id));
  const keyed = rows.filter((r) => r.key !== null);
  const unkeyed = rows.filter((r) => r.key === null);
  // Viewers may export, but credential-like recipient URLs stay masked for them.
  return { reports: [...keyed, ...unkeyed].map((r) => definitionOf({ ...r, recipients: recipientsFor(ctx.auth.role, r.recipients) })) };
}
