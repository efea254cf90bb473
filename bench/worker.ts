/*
 * Bench-only routes over the app's own code paths (never deployed with the app). Each route runs
 * one measured step and answers its figures as JSON; bench/run.mjs drives them and samples the
 * workerd process's memory meanwhile.
 */
import Papa from "papaparse";
import { z } from "zod";
import { createDb } from "../src/db/client";
import { enqueueDueRuns } from "../src/jobs/schedule/enqueue-due";
import { readAllRows } from "../src/reports/registry";
import { csvRenderer } from "../src/reports/renderers/csv";
import { pdfRenderer } from "../src/reports/renderers/pdf";
import { xlsxRenderer } from "../src/reports/renderers/xlsx";
import { defineSqlReport } from "../src/reports/sql-report";
import type { Column, Row } from "../src/reports/types";
import { getMetrics } from "../src/services/metrics/get-metrics";
import { uploadStream } from "../src/storage/upload";

export { ReportLock } from "../src/durable-objects/report-lock";

const ORG = "bench-org";
const COLUMNS: Column[] = [
  { key: "id", label: "Id", type: "integer" },
  { key: "day", label: "Day", type: "date" },
  { key: "customer", label: "Customer", type: "string" },
  { key: "region", label: "Region", type: "string" },
  { key: "product", label: "Product", type: "string" },
  { key: "quantity", label: "Quantity", type: "integer" },
  { key: "price", label: "Price", type: "currency" },
  { key: "amount", label: "Amount", type: "currency" },
  { key: "status", label: "Status", type: "string" },
  { key: "note", label: "Note", type: "string" },
];
const meta = { title: "Benchmark", description: "bench rows", organizationName: "Bench Inc", generatedAt: new Date(), timezone: "UTC", branding: {} };

async function ensureOrg(env: Env) {
  await env.DB.prepare("insert or ignore into organizations (id, name, created_at, updated_at) values (?1, 'Bench', 0, 0)").bind(ORG).run();
}

/** 10 columns of plausible report data, generated inside SQLite (a recursive CTE), n rows. */
async function seedRows(env: Env, n: number) {
  await env.DB.exec(
    "create table if not exists bench_rows (id integer primary key, day text, customer text, region text, product text, quantity integer, price real, amount real, status text, note text)",
  );
  const have = (await env.DB.prepare("select count(*) as n from bench_rows").first<{ n: number }>())!.n;
  for (let start = have + 1; start <= n; start += 200_000) {
    const end = Math.min(n, start + 199_999);
    await env.DB.prepare(
      `insert into bench_rows
       with recursive s(i) as (select ?1 union all select i + 1 from s where i < ?2)
       select i, date('2025-01-01', '+' || (i % 700) || ' days'), 'Customer ' || (i % 5000), char(65 + i % 4) || 'region',
              'Product "' || (i % 300) || '", standard', 1 + i % 9, (i % 1000) / 10.0, (1 + i % 9) * (i % 1000) / 10.0,
              case i % 10 when 0 then 'refunded' else 'completed' end, 'note, with a comma ' || i
       from s`,
    )
      .bind(start, end)
      .run();
  }
  return (await env.DB.prepare("select count(*) as n from bench_rows").first<{ n: number }>())!.n;
}

/** Keyset pages of bench_rows through a read session, as report types read their data. */
async function* pages(env: Env, limit: number, pageSize = 2000): AsyncGenerator<Row[]> {
  const session = env.DB.withSession("first-unconstrained");
  let after = 0;
  let left = limit;
  while (left > 0) {
    const { results } = await session.prepare("select * from bench_rows where id > ?1 order by id limit ?2").bind(after, Math.min(pageSize, left)).all<Row>();
    if (!results.length) return;
    yield results;
    left -= results.length;
    after = results.at(-1)!.id as number;
  }
}

/** The same 10-column rows as a declared report type, read through the shared pager from D1 or Postgres. */
const benchRows = (source: { kind: "d1" | "postgres"; name: string }, sql: string) =>
  defineSqlReport({
    id: `bench_rows_${source.kind}`,
    name: "Bench rows",
    description: "bench",
    source,
    parameters: z.object({ n: z.number() }),
    formats: ["csv"],
    sql,
    values: (p) => ({ n: p.n }),
    orderBy: ["id"],
    columns: COLUMNS,
    describe: () => "bench",
  });
const SELECT = "SELECT id, day, customer, region, product, quantity, price, amount, status, note FROM bench_rows";
const benchFromD1 = benchRows({ kind: "d1", name: "DB" }, `${SELECT} WHERE :tenant IS NOT NULL AND id <= :n`);
// Postgres wants the parameter types spelled out where nothing else says them.
const benchFromPostgres = benchRows({ kind: "postgres", name: "BENCH_PG" }, `${SELECT} WHERE :tenant::text IS NOT NULL AND id <= :n::int`);

async function csvThroughReportType(env: Env, type: typeof benchFromD1, n: number, pageSize: number) {
  const ctx = { env, tenant: ORG, now: new Date(), timezone: "UTC" };
  let queryMs = 0;
  async function* timedPages() {
    const it = readAllRows(type, ctx, { n }, pageSize)[Symbol.asyncIterator]();
    for (;;) {
      const t0 = Date.now();
      const next = await it.next();
      queryMs += Date.now() - t0;
      if (next.done) return;
      yield next.value;
    }
  }
  const file = csvRenderer.render({ columns: COLUMNS, pages: timedPages(), meta, options: {} });
  const upload = await uploadStream(env.REPORTS, `bench/${type.id}-${n}.csv`, file.stream, { contentType: "text/csv" });
  return { rows: file.rowCount(), bytes: upload.size, parts: upload.parts, queryMs };
}

async function timed<T>(work: () => Promise<T>) {
  const t0 = Date.now();
  const result = await work();
  return { ms: Date.now() - t0, ...result };
}

async function seedDueReports(env: Env, n: number, at: number) {
  await ensureOrg(env);
  await env.DB.exec("delete from report_executions where organization_id = 'bench-org'; delete from scheduled_reports where organization_id = 'bench-org'");
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, j) => ({ id: `bench-report-${i + j}` }));
    await env.DB.prepare(
      `insert into scheduled_reports (id, organization_id, created_by, name, report_type, report_parameters, format, schedule_config, cron, timezone, catch_up, recipients, is_active, next_run_at, created_at, updated_at)
       select json_extract(value, '$.id'), ?1, null, 'Bench report', 'sales_summary', '{}', 'csv', '{"cron":"* * * * *"}', '* * * * *', 'UTC', 'latest', '[]', 1, ?2, 0, 0 from json_each(?3)`,
    )
      .bind(ORG, at, JSON.stringify(rows))
      .run();
  }
}

async function seedExecutions(env: Env, n: number, now: number) {
  await ensureOrg(env);
  await env.DB.prepare(
    `insert or ignore into scheduled_reports (id, organization_id, name, report_type, report_parameters, format, schedule_config, cron, timezone, catch_up, recipients, is_active, created_at, updated_at)
     values ('bench-metrics-report', ?1, 'Metrics bench', 'sales_summary', '{}', 'csv', '{"cron":"0 * * * *"}', '0 * * * *', 'UTC', 'latest', '[]', 1, 0, 0)`,
  )
    .bind(ORG)
    .run();
  const have = (await env.DB.prepare("select count(*) as n from report_executions where scheduled_report_id = 'bench-metrics-report'").first<{ n: number }>())!
    .n;
  for (let start = have; start < n; start += 100_000) {
    const end = Math.min(n, start + 100_000) - 1;
    // One run a minute going back in time: the last day holds 1,440 of them, the rest is history.
    await env.DB.prepare(
      `insert into report_executions (id, organization_id, scheduled_report_id, scheduled_for, trigger, status, attempt, format, trace_id, created_at, completed_at, duration_ms, file_key, file_size, error_class)
       with recursive s(i) as (select ?1 union all select i + 1 from s where i < ?2)
       select 'bench-exec-' || i, ?3, 'bench-metrics-report', ?4 - i * 60000, 'schedule', case when i % 20 = 0 then 'failed' else 'completed' end, 1, 'csv', 'trace',
              ?4 - i * 60000, ?4 - i * 60000 + 1000, 100 + i % 5000, case when i % 20 = 0 then null else 'k/' || i end, 1000 + i % 100, case when i % 20 = 0 then 'timeout' end
       from s`,
    )
      .bind(start, end, ORG, now)
      .run();
  }
  return n;
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const n = Number(url.searchParams.get("n") ?? 0);
    const json = (body: unknown) => Response.json(body);
    switch (url.pathname) {
      case "/seed-reports": {
        const at = Number(url.searchParams.get("at"));
        return json(
          await timed(async () => {
            await seedDueReports(env, n, at);
            return { reports: n };
          }),
        );
      }
      case "/tick": {
        const at = new Date(Number(url.searchParams.get("at")));
        return json(await timed(() => enqueueDueRuns(env, at)));
      }
      case "/seed-rows":
        return json(await timed(async () => ({ rows: await seedRows(env, n) })));
      case "/csv-stream":
        return json(
          await timed(async () => {
            const file = csvRenderer.render({ columns: COLUMNS, pages: pages(env, n), meta, options: {} });
            const upload = await uploadStream(env.REPORTS, `bench/stream-${n}.csv`, file.stream, { contentType: "text/csv" });
            return { rows: file.rowCount(), bytes: upload.size, parts: upload.parts };
          }),
        );
      case "/csv-report-d1":
        return json(await timed(() => csvThroughReportType(env, benchFromD1, n, 2000)));
      case "/csv-report-postgres":
        return json(await timed(() => csvThroughReportType(env, benchFromPostgres, n, 5000)));
      case "/csv-naive":
        return json(
          await timed(async () => {
            const { results } = await env.DB.prepare("select * from bench_rows order by id limit ?1").bind(n).all<Row>();
            const text = Papa.unparse({ fields: COLUMNS.map((c) => c.key), data: results.map((r) => COLUMNS.map((c) => r[c.key])) });
            await env.REPORTS.put(`bench/naive-${n}.csv`, text);
            return { rows: results.length, bytes: text.length };
          }),
        );
      case "/xlsx":
        return json(
          await timed(async () => {
            const file = xlsxRenderer.render({ columns: COLUMNS, pages: pages(env, n), meta, options: {} });
            const upload = await uploadStream(env.REPORTS, `bench/${n}.xlsx`, file.stream, {
              contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            });
            return { rows: file.rowCount(), bytes: upload.size, parts: upload.parts };
          }),
        );
      case "/pdf":
        return json(
          await timed(async () => {
            const file = pdfRenderer.render({
              columns: COLUMNS,
              pages: pages(env, n),
              meta,
              options: { browser: env.BROWSER as unknown as Fetcher, pdfRowLimit: n },
            });
            const bytes = (await new Response(file.stream).arrayBuffer()).byteLength;
            return { rows: file.rowCount(), bytes };
          }),
        );
      case "/seed-executions":
        return json(await timed(async () => ({ executions: await seedExecutions(env, n, Number(url.searchParams.get("now"))) })));
      case "/metrics": {
        const now = new Date(Number(url.searchParams.get("now")));
        const ctx = { db: createDb(env.DB), env, auth: { userId: "bench", organizationId: ORG, role: "admin" as const, sessionId: "bench" }, now };
        return json(await timed(async () => ({ metrics: await getMetrics({ ctx }) })));
      }
    }
    return new Response("not found", { status: 404 });
  },
} satisfies ExportedHandler<Env>;
