import { asc, eq, sql } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { recipientsFor } from "../../domain/recipients";
import { DomainError } from "../../errors";
import type { ServiceContext } from "../context";
import { definitionOf } from "./definition";
import { generatedKey } from "./generated-key";

/**
 * The largest document the export builds (JSON bytes, estimated from the stored columns before any
 * row is read). An export is one document that `apply` takes back whole, with `prune` deleting what
 * it does not list: a page of it applied would delete the other pages, so the export is never paged,
 * and an organization past this size is told so (413, naming the limit) instead of being handed a
 * body that one Worker has to hold in memory several times over.
 */
export const EXPORT_MAX_BYTES = 5 * 1024 * 1024;
/** What a report adds to the document beyond its stored columns: field names, format, flags, dates. */
const PER_REPORT_BYTES = 300;

const r = scheduledReports;
const estimate = sql<number>`coalesce(sum(length(${r.name}) + coalesce(length(${r.key}), 0) + length(${r.reportType}) + length(${r.parameters})
  + length(${r.scheduleConfig}) + length(${r.timezone}) + length(${r.recipients}) + length(${r.deliverWhen}) + ${PER_REPORT_BYTES}), 0)`;

/**
 * The organization's reports as one document (any role may read it), by key. Every report has a key
 * in it: its own, or for a report that has none a generated one (stable from export to export) with
 * `adopt: <id>`, so that applying the document as it is takes the report over instead of creating a
 * second one; the key is saved on the report then.
 */
export async function exportScheduledReports({ ctx }: { ctx: ServiceContext }) {
  const scope = eq(r.organizationId, ctx.auth.organizationId);
  const [size] = await ctx.db.select({ bytes: estimate }).from(r).where(scope);
  const bytes = Number(size?.bytes ?? 0);
  if (bytes > EXPORT_MAX_BYTES) {
    const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
    throw new DomainError(
      "payload_too_large",
      `The export is limited to ${mib(EXPORT_MAX_BYTES)} (${EXPORT_MAX_BYTES} bytes); this organization's reports come to about ${mib(bytes)}. Delete reports, or shorten their parameters and recipient lists, to export them as one document`,
      [{ path: "reports", message: `exportMaxBytes: the limit is ${EXPORT_MAX_BYTES}`, code: "exportMaxBytes" }],
    );
  }
  const rows = await ctx.db.select().from(r).where(scope).orderBy(asc(r.key), asc(r.name), asc(r.id));
  const taken = new Set(rows.flatMap((row) => (row.key === null ? [] : [row.key])));
  const reports = rows.map((row) => {
    // Viewers may export, but credential-like recipient URLs stay masked for them.
    const { key: _key, ...definition } = definitionOf({ ...row, recipients: recipientsFor(ctx.auth.role, row.recipients) });
    if (row.key !== null) return { key: row.key, ...definition };
    const key = generatedKey(row, taken);
    taken.add(key);
    return { key, adopt: row.id, ...definition };
  });
  return { reports: reports.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}
