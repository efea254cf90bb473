import { asc, eq, sql } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { recipientsFor } from "../../domain/recipients";
import { DomainError } from "../../errors";
import type { ServiceContext } from "../context";
import { definitionOf } from "./definition";

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
 * The organization's reports as one document (any role may read it): keyed reports first, by key,
 * then the ones without a key by name. Only keyed reports can be matched by `apply`.
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
  const keyed = rows.filter((row) => row.key !== null);
  const unkeyed = rows.filter((row) => row.key === null);
  // Viewers may export, but credential-like recipient URLs stay masked for them.
  return { reports: [...keyed, ...unkeyed].map((row) => definitionOf({ ...row, recipients: recipientsFor(ctx.auth.role, row.recipients) })) };
}
