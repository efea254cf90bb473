import { and, eq } from "drizzle-orm";
import { config } from "../../config";
import { createDb } from "../../db/client";
import { organizations, type Recipient, type reportExecutions, scheduledReports } from "../../db/schema";
import { tenantKeyOf } from "../../domain/tenants";
import { permanent } from "../../errors";
import { getReportType, readAllRows } from "../../reports/registry";
import { renderers } from "../../reports/renderers";
import { reportFileKey, reportFileName } from "../../storage/keys";
import { uploadStream } from "../../storage/upload";
import { asJobError, step } from "./classify";

export type ProducedFile = {
  key: string;
  fileName: string;
  size: number;
  rowCount: number;
  durationMs: number;
  recipients: Recipient[];
  note?: string;
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
 * Reads the report's rows page by page through a read-replica session and streams them through
 * the renderer straight into R2: no step holds the whole report.
 */
export async function produceReportFile(env: Env, execution: typeof reportExecutions.$inferSelect, now: Date): Promise<ProducedFile> {
  const started = Date.now();
  const db = createDb(env.DB);
  const [row] = await db
    .select({ report: scheduledReports, organization: organizations })
    .from(scheduledReports)
    .innerJoin(organizations, eq(organizations.id, scheduledReports.organizationId))
    .where(and(eq(scheduledReports.id, execution.scheduledReportId), eq(scheduledReports.organizationId, execution.organizationId)));
  if (!row) throw permanent("The scheduled report was deleted before it ran");
  const { report, organization } = row;
  const type = getReportType(report.reportType);
  if (!type) throw permanent(`Unknown report type "${report.reportType}"`);
  const parsed = type.parameters.safeParse(report.parameters);
  if (!parsed.success) throw permanent(`The report's parameters are no longer valid: ${parsed.error.issues[0]?.message}`);
  const params = parsed.data;

  let queryMs = 0;
  const queryCtx = { env, tenant: tenantKeyOf(organization), now: execution.scheduledFor, timezone: report.timezone };
  const file = renderers[execution.format].render({
    columns: type.columns(params),
    pages: timedPages(readAllRows(type, queryCtx, params, 1000), (ms) => (queryMs += ms)),
    meta: {
      title: report.name,
      description: type.describeParameters(params, queryCtx),
      organizationName: organization.name,
      generatedAt: now,
      timezone: report.timezone,
      branding: organization.pdfBranding,
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
  const durationMs = Date.now() - started;
  return {
    key,
    fileName,
    size: upload.size,
    rowCount: file.rowCount(),
    durationMs,
    recipients: report.recipients,
    note: file.note?.(),
    steps: { queryMs, uploadMs: upload.r2Ms, renderMs: Math.max(0, durationMs - queryMs - upload.r2Ms) },
  };
}
