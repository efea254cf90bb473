import { and, desc, eq, isNotNull, isNull, ne } from "drizzle-orm";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { type DeliverySkipReason, type organizations, type Recipient, reportExecutions, type scheduledReports } from "../../db/schema";
import { tenantKeyOf } from "../../domain/tenants";
import { errorMessage, JobError, permanent } from "../../errors";
import { log } from "../../lib/log";
import { loadLogo } from "../../reports/pdf/logo";

/** The report a run renders, with its organization (loaded with the run, see run-generation.ts). */
export type RunSource = { report: typeof scheduledReports.$inferSelect; organization: typeof organizations.$inferSelect };

import { getReportType, readAllRows } from "../../reports/registry";
import { renderers } from "../../reports/renderers";
import { reportFileKey, reportFileName } from "../../storage/keys";
import { uploadStream } from "../../storage/upload";
import { asJobError, step } from "./classify";
import { deliverySkipReason, watchRows } from "./delivery-condition";

export type ProducedFile = {
  key: string;
  fileName: string;
  size: number;
  rowCount: number;
  durationMs: number;
  recipients: Recipient[];
  note?: string;
  resultHash: string;
  /** The report's delivery condition said not to deliver this run (and why). */
  deliverySkipped: DeliverySkipReason | null;
  keepFile: boolean;
  /** Where the time went: waiting on D1, on R2, and the rest (rendering). */
  steps: { queryMs: number; uploadMs: number; renderMs: number };
};

/** Counts the time spent waiting for each page of rows. */
function timedPages<T>(pages: AsyncIterable<T>, onWait: (ms: number) => void): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      const it = pages[Symbol.asyncIterator]();
      try {
        for (;;) {
          const t0 = Date.now();
          // A failed read is the query's failure, whichever step was pulling rows.
          const next = await it.next().catch((err: unknown) => {
            throw asJobError(err, "database");
          });
          onWait(Date.now() - t0);
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await it.return?.();
      }
    },
  };
}

/**
 * The pages, once the first one is known to hold rows: a report that fails when empty fails before
 * anything is rendered or stored (not retried: the same query on the same data returns nothing again).
 */
async function requireRows<T>(pages: AsyncIterable<T>): Promise<AsyncIterable<T>> {
  const it = pages[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) {
    throw new JobError(
      "empty_result",
      "The report returned no rows and is set to fail when empty: nothing was delivered. Check the organization's data tenant key and the source data.",
      false,
    );
  }
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield first.value;
        for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
      } finally {
        await it.return?.();
      }
    },
  };
}

/**
 * Reads the report's rows page by page through a read-replica session and streams them through
 * the renderer straight into R2: no step holds the whole report.
 */
export async function produceReportFile(
  env: Env,
  db: Db,
  execution: typeof reportExecutions.$inferSelect,
  { report, organization }: RunSource,
  now: Date,
): Promise<ProducedFile> {
  const started = Date.now();
  const type = getReportType(report.reportType);
  if (!type) throw permanent(`Unknown report type "${report.reportType}"`);
  // A data-ready trigger may set parameters for its run, over the report's own.
  const parsed = type.parameters.safeParse({ ...report.parameters, ...(execution.parameterOverrides ?? {}) });
  if (!parsed.success) throw permanent(`The report's parameters are no longer valid: ${parsed.error.issues[0]?.message}`);
  const params = parsed.data;

  let queryMs = 0;
  const queryCtx = { env, tenant: tenantKeyOf(organization), now: execution.scheduledFor, timezone: report.timezone };
  const columns = type.columns(params);
  const pages = timedPages(readAllRows(type, queryCtx, params, 1000), (ms) => (queryMs += ms));
  const watched = watchRows(report.emptyResult === "fail" ? await requireRows(pages) : pages, columns, report.deliverWhen);
  const logo = execution.format === "pdf" ? await pdfLogo(env, execution, organization) : undefined;
  const file = renderers[execution.format].render({
    columns,
    pages: watched.pages,
    meta: {
      title: report.name,
      description: [type.describeParameters(params, queryCtx), execution.dataAsOf ? `Data as of ${execution.dataAsOf.toISOString()}` : null]
        .filter(Boolean)
        .join(" · "),
      organizationName: organization.name,
      generatedAt: now,
      timezone: report.timezone,
      branding: organization.pdfBranding,
      logo,
      chart: type.chart,
    },
    options: {
      compress: report.compress && execution.format === "csv",
      browser: env.BROWSER as unknown as Fetcher,
      pdfRowLimit: config(env).pdfRowLimit,
    },
  });
  const fileName = reportFileName(report.name, execution.scheduledFor, report.timezone, file.extension);
  const key = reportFileKey({ organizationId: execution.organizationId, scheduledReportId: report.id, executionId: execution.id }, fileName);
  const upload = await step("storage", () =>
    uploadStream(env.REPORTS, key, file.stream, { contentType: file.contentType, contentDisposition: `attachment; filename="${fileName}"` }),
  );
  const facts = watched.facts();
  const lastDeliveredHash = report.deliverWhen.mode === "ifChanged" ? await lastDeliveredResultHash(db, execution) : null;
  const durationMs = Date.now() - started;
  return {
    key,
    fileName,
    size: upload.size,
    rowCount: file.rowCount(),
    durationMs,
    recipients: report.recipients,
    note: file.note?.(),
    resultHash: facts.resultHash,
    deliverySkipped: deliverySkipReason(report.deliverWhen, facts, lastDeliveredHash),
    keepFile: report.deliverWhen.keepFile ?? true,
    steps: { queryMs, uploadMs: upload.r2Ms, renderMs: Math.max(0, durationMs - queryMs - upload.r2Ms) },
  };
}

/**
 * The organization's logo for a PDF, as a data: URL, or nothing: a logo that cannot be had (unsafe
 * URL, wrong type, too large, unreachable) is left out and the run's log says why; the report renders.
 */
async function pdfLogo(
  env: Env,
  execution: typeof reportExecutions.$inferSelect,
  organization: typeof organizations.$inferSelect,
): Promise<string | undefined> {
  const url = organization.pdfBranding.logoUrl;
  if (!url) return undefined;
  const fields = { executionId: execution.id, organizationId: organization.id, traceId: execution.traceId };
  try {
    const logo = await loadLogo(env, config(env).delivery, organization.id, url);
    if (logo.ok) {
      if (logo.fetched) log("info", "PDF logo fetched and kept", { ...fields, url });
      return logo.dataUrl;
    }
    log("warn", "PDF logo left out", { ...fields, reason: logo.reason });
  } catch (err) {
    log("warn", "PDF logo left out", { ...fields, reason: `The PDF logo ${url} was left out: ${errorMessage(err)}` });
  }
  return undefined;
}

/** The rows' hash of the report's last run that delivered (what `ifChanged` compares with). */
async function lastDeliveredResultHash(db: Db, execution: typeof reportExecutions.$inferSelect): Promise<string | null> {
  const [last] = await db
    .select({ resultHash: reportExecutions.resultHash })
    .from(reportExecutions)
    .where(
      and(
        eq(reportExecutions.scheduledReportId, execution.scheduledReportId),
        eq(reportExecutions.organizationId, execution.organizationId),
        ne(reportExecutions.id, execution.id),
        eq(reportExecutions.status, "completed"),
        isNull(reportExecutions.deliverySkipped),
        isNotNull(reportExecutions.resultHash),
      ),
    )
    .orderBy(desc(reportExecutions.scheduledFor), desc(reportExecutions.id))
    .limit(1);
  return last?.resultHash ?? null;
}
