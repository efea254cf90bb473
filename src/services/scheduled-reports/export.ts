import { asc, eq } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { recipientsFor } from "../../domain/recipients";
import type { ServiceContext } from "../context";
import { definitionOf } from "./definition";
import { generatedKey } from "./generated-key";

/**
 * The organization's reports as one document (any role may read it), by key. Every report has a key
 * in it: its own, or for a report that has none a generated one (stable from export to export) with
 * `adopt: <id>`, so that applying the document as it is takes the report over instead of creating a
 * second one; the key is saved on the report then.
 */
export async function exportScheduledReports({ ctx }: { ctx: ServiceContext }) {
  const rows = await ctx.db
    .select()
    .from(scheduledReports)
    .where(eq(scheduledReports.organizationId, ctx.auth.organizationId))
    .orderBy(asc(scheduledReports.key), asc(scheduledReports.name), asc(scheduledReports.id));
  const taken = new Set(rows.flatMap((r) => (r.key === null ? [] : [r.key])));
  const reports = rows.map((r) => {
    // Viewers may export, but credential-like recipient URLs stay masked for them.
    const { key: _key, ...definition } = definitionOf({ ...r, recipients: recipientsFor(ctx.auth.role, r.recipients) });
    if (r.key !== null) return { key: r.key, ...definition };
    const key = generatedKey(r, taken);
    taken.add(key);
    return { key, adopt: r.id, ...definition };
  });
  return { reports: reports.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}
