import { env } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { newApp } from "../src/app";
import { JobError } from "../src/errors";
import { addDays } from "../src/reports/date-range";
import { listReportTypes, readAllRows, reportTypes } from "../src/reports/registry";
import { postgresSource } from "../src/reports/sources/postgres";
import { defineSqlReport, type SqlReportDefinition } from "../src/reports/sql-report";
import { billingRevenue } from "../src/reports/types/billing-revenue";
import { invoices } from "../src/reports/types/invoices";
import { newOrganization } from "./support/api";
import { readReport } from "./support/demo-reports";
import { createReport, reportBody } from "./support/factories";
import { consume, executionById, generationJob, insertExecution } from "./support/pipeline";
import { BULK_INVOICES, BULK_TENANT, PIPELINE_TENANT } from "./support/postgres-setup";

const DEMO_TENANT = "00000000-0000-4000-8000-00000000d3e0";
const ctx = (tenant: string, now = new Date()) => ({ env, tenant, now, timezone: "UTC" });
const today = new Date().toISOString().slice(0, 10);

describe("Postgres through Hyperdrive", () => {
  it("pages the invoices report like one read, only the tenant's rows, in issue order", async () => {
    const rows = await readReport(invoices, ctx(DEMO_TENANT), { dateRange: "last_30_days" }, 97);
    expect(rows.length).toBeGreaterThan(100);
    const issued = rows.map((r) => r.issued_on as string);
    expect([...issued].sort()).toEqual(issued);
    expect(await readReport(invoices, ctx("nobody"), { dateRange: "last_30_days" })).toEqual([]);
  });

  it("filters by status and sums revenue per month and plan", async () => {
    const open = await readReport(invoices, ctx(DEMO_TENANT), { dateRange: "year_to_date", status: "open" }, 50);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((r) => r.status === "open" && r.paid_on === null)).toBe(true);
    const revenue = await readReport(billingRevenue, ctx(DEMO_TENANT), { dateRange: "year_to_date" }, 5);
    expect(revenue.length).toBeGreaterThan(4);
    expect(revenue.every((r) => typeof r.invoiced === "number" && (r.collected as number) <= (r.invoiced as number))).toBe(true);
  });

  it("streams 100,000 rows page by page", async () => {
    let count = 0;
    let pages = 0;
    for await (const page of readAllRows(
      invoices,
      ctx(BULK_TENANT),
      invoices.parameters.parse({ dateRange: "custom", from: addDays(today, -720), to: today }),
      5000,
    )) {
      expect(page.length).toBeLessThanOrEqual(5000);
      count += page.length;
      pages++;
    }
    expect(count).toBe(BULK_INVOICES);
    expect(pages).toBe(BULK_INVOICES / 5000);
  });

  it("runs every query read-only: a query that writes fails with query_error and changes nothing", async () => {
    const source = postgresSource("BILLING", env.BILLING);
    const before = await source.query(
      { sql: "SELECT count(*) AS n FROM billing_plans WHERE tenant = :tenant", values: { tenant: DEMO_TENANT } },
      { timeoutMs: 5000 },
    );
    const err = await source
      .query(
        {
          sql: "INSERT INTO billing_plans (tenant, id, name, monthly_cents) VALUES (:tenant, 'hacked', 'Hacked', 1) RETURNING id",
          values: { tenant: DEMO_TENANT },
        },
        { timeoutMs: 5000 },
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobError);
    expect((err as JobError).errorClass).toBe("query_error");
    expect((err as JobError).retryable).toBe(false);
    expect((err as JobError).message).toMatch(/read-only transaction/);
    const after = await source.query(
      { sql: "SELECT count(*) AS n FROM billing_plans WHERE tenant = :tenant", values: { tenant: DEMO_TENANT } },
      { timeoutMs: 5000 },
    );
    expect(after).toEqual(before);
  });

  it("stops a query past its time limit with a retryable timeout", async () => {
    const source = postgresSource("BILLING", env.BILLING);
    const started = Date.now();
    const err = await source
      .query({ sql: "SELECT pg_sleep(3) WHERE :tenant::text IS NOT NULL", values: { tenant: "x" } }, { timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JobError);
    expect((err as JobError).errorClass).toBe("timeout");
    expect((err as JobError).retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(10_000);
    if (inject("postgresKind") === "server") {
      // A real server (CI) enforces the transaction's statement_timeout itself: SQLSTATE 57014,
      // before pg_sleep(3) is over.
      expect((err as JobError).message).toBe("BILLING: the query ran longer than 0.3 s and was stopped");
      expect(((err as JobError).cause as { code?: string }).code).toBe("57014");
      expect(Date.now() - started).toBeLessThan(2900);
    } else {
      // PGlite ignores statement_timeout; our own deadline stops the wait.
      expect((err as JobError).message).toMatch(/did not finish within 0.3 s/);
    }
  });

  it("maps the server's SQLSTATE codes: wrong SQL is final, the read-only refusal is 25006", async () => {
    const source = postgresSource("BILLING", env.BILLING);
    const failure = (sql: string) =>
      source.query({ sql: `${sql} /* :tenant */`, values: { tenant: DEMO_TENANT } }, { timeoutMs: 5000 }).then(
        () => new JobError("query_error", `${sql} did not fail`, false),
        (e: unknown) => e as JobError,
      );
    for (const [sql, code] of [
      ["SELEC 1", "42601"], // syntax_error
      ["SELECT * FROM no_such_table", "42P01"], // undefined_table
      ["SELECT 1 / (count(*) - count(*)) FROM billing_plans", "22012"], // division_by_zero
      ["CREATE TABLE billing_evil (id int)", "25006"], // read_only_sql_transaction
    ] as const) {
      const err = await failure(sql);
      expect(err).toBeInstanceOf(JobError);
      expect([sql, (err.cause as { code?: string }).code, err.errorClass, err.retryable]).toEqual([sql, code, "query_error", false]);
    }
  });
});

describe("report type declarations", () => {
  it("refuses a report type whose SQL does not filter by :tenant", () => {
    expect(() => declareType({ sql: "SELECT id FROM demo_orders" })).toThrow(/must filter by :tenant/);
  });

  it("refuses tenant tables its SQL does not read, or that are not plain identifiers", () => {
    const sql = "SELECT o.id FROM demo_orders o WHERE o.organization_id = :tenant";
    expect(declareType({ sql, tenantTables: [{ table: "demo_orders", column: "organization_id" }] }).tenantTables).toEqual([
      { table: "demo_orders", column: "organization_id" },
    ]);
    for (const t of [
      { table: "demo_tickets", column: "organization_id" },
      { table: "demo_orders; drop", column: "organization_id" },
      { table: "demo_orders", column: "organization_id = 1 or 1" },
    ]) {
      expect(() => declareType({ sql, tenantTables: [t] })).toThrow(/tenantTables must name tables its SQL reads/);
    }
  });

  it("declares the tenant tables of every built-in report type", () => {
    for (const type of listReportTypes()) expect(type.tenantTables?.length, type.id).toBeGreaterThan(0);
  });

  it("refuses a keyset it cannot place", () => {
    const marked = "SELECT o.id FROM demo_orders o WHERE o.organization_id = :tenant AND /*keyset*/";
    expect(() => declareType({ sql: marked, keyset: ["o.id"] })).not.toThrow();
    for (const [sql, keyset] of [
      [marked, undefined],
      ["SELECT o.id FROM demo_orders o WHERE o.organization_id = :tenant", ["o.id"]],
      [`${marked} AND /*keyset*/`, ["o.id"]],
      [marked, ["o.order_date", "o.id"]],
      [marked, ["o.id + 0"]],
    ] as const) {
      expect(() => declareType({ sql, keyset })).toThrow(/keyset must name a column for each orderBy key/);
    }
  });
});

describe("a Postgres report type end to end", () => {
  it("generates CSV, XLSX and PDF files of the organization's billing rows through the generation consumer", { timeout: 120_000 }, async () => {
    const admin = await newOrganization();
    // The operator maps this organization onto the billing tenant that holds its data.
    await env.DB.prepare("update organizations set data_tenant_key = ? where id = ?").bind(PIPELINE_TENANT, admin.organizationId).run();
    const scheduledFor = new Date();
    const parameters = { dateRange: "year_to_date" };
    const expected = await readReport(invoices, { env, tenant: PIPELINE_TENANT, now: scheduledFor, timezone: "UTC" }, parameters, 1000);
    expect(expected.length).toBeGreaterThan(20);
    for (const format of ["csv", "xlsx", "pdf"] as const) {
      const report = await createReport(admin, {
        reportType: "invoices",
        format,
        parameters,
        schedule: { cron: "0 9 * * 1", timezone: "UTC", catchUp: "latest" },
      });
      const execution = await insertExecution(admin, report.id, { scheduledFor });
      await consume("report-generation", [generationJob(execution)]);
      const done = await executionById(execution.id);
      expect(done).toMatchObject({ status: "completed", format });
      // The PDF holds at most the PDF row limit; CSV and XLSX every row.
      expect(done.rowCount).toBe(format === "pdf" ? Math.min(expected.length, 2000) : expected.length);
      const object = await env.REPORTS.get(done.fileKey!);
      const bytes = new Uint8Array(await object!.arrayBuffer());
      if (format === "csv") expect(new TextDecoder().decode(bytes).split("\r\n")[0]).toBe("Invoice,Issued,Due,Customer,Plan,Amount,Status,Paid");
      if (format === "xlsx") expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b]); // a zip
      if (format === "pdf") expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    }
  });

  it("fails a run whose query is wrong at once with query_error, without retrying", async () => {
    const admin = await newOrganization();
    registerBrokenSqlType();
    const report = await createReport(admin, { reportType: "test_broken_sql", format: "csv", parameters: {} });
    const execution = await insertExecution(admin, report.id);
    const result = await consume("report-generation", [generationJob(execution)]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(1);
    const done = await executionById(execution.id);
    expect(done).toMatchObject({ status: "failed", errorClass: "query_error", attempt: 1 });
    expect(done.errorMessage).toMatch(/no_such_table/);
  });
});

/** A report type of one integer column, `id`, declared for a test: the rest as given. */
function declareType(def: Pick<SqlReportDefinition<z.ZodType>, "sql"> & Partial<SqlReportDefinition<z.ZodType>>) {
  return defineSqlReport({
    id: "declared",
    name: "Declared (test)",
    description: "Declared by a test",
    source: { kind: "d1", name: "DB" },
    parameters: z.strictObject({}),
    formats: ["csv"],
    orderBy: ["id"],
    columns: [{ key: "id", label: "Id", type: "integer" }],
    describe: () => "",
    ...def,
  });
}

/** A declared type whose SQL names a table that does not exist: a mistake no retry can fix. */
function registerBrokenSqlType() {
  reportTypes.test_broken_sql ??= declareType({
    id: "test_broken_sql",
    name: "Broken SQL (test)",
    description: "Reads a table that is not there",
    source: { kind: "postgres", name: "BILLING" },
    sql: "SELECT id FROM no_such_table WHERE tenant = :tenant",
  });
}

describe("a deployment without the Postgres source", () => {
  it("does not offer its report types, refuses a report on them, and fails such a run at once with a clear error", async () => {
    const admin = await newOrganization();
    const withoutPostgres = { ...env, BILLING: undefined } as unknown as Env;
    const call = (path: string, init: RequestInit = {}) =>
      newApp().request(
        `http://127.0.0.1:8787${path}`,
        { ...init, headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json", "cf-connecting-ip": "198.51.100.9" } },
        withoutPostgres,
      );
    const types = (await (await call("/api/report-types")).json()) as { items: { id: string }[] };
    expect(types.items.map((t) => t.id)).not.toContain("invoices");
    expect(types.items.map((t) => t.id)).toContain("order_details");
    const refused = await call("/api/scheduled-reports", {
      method: "POST",
      body: JSON.stringify(reportBody({ reportType: "invoices", format: "csv", parameters: {} })),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as any).error.message).toMatch(/BILLING database \(postgres\), which this deployment does not have configured/);

    // A report made while the source was there, run after it was removed.
    const report = await createReport(admin, { reportType: "invoices", format: "csv", parameters: {} });
    const execution = await insertExecution(admin, report.id);
    const result = await consume("report-generation", [generationJob(execution)], { env: { BILLING: undefined } as unknown as Partial<Env> });
    expect(result.retryMessages).toEqual([]);
    const done = await executionById(execution.id);
    expect(done).toMatchObject({ status: "failed", errorClass: "configuration" });
    expect(done.errorMessage).toMatch(/data source BILLING \(postgres\) is not configured/);
  });
});
