import { env, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import Papa from "papaparse";
import { describe, expect, it, vi } from "vitest";
import * as XLSX from "xlsx";
import { deadLetters, reportDeliveries } from "../src/db/schema";
import type { ReportLock } from "../src/durable-objects/report-lock";
import { getReportType } from "../src/reports/registry";
import { sheetName } from "../src/reports/renderers/xlsx-cells";
import { api } from "./support/api";
import { queryContext, readReport } from "./support/demo-reports";
import {
  consume,
  db,
  executionById,
  generationJob,
  insertDelivery,
  insertExecution,
  registerFailingReportType,
  reportWithData,
  tick,
} from "./support/pipeline";
import { readWorkbook } from "./support/xlsx";

const RECIPIENTS = [
  { type: "email", value: "ops@example.com" },
  { type: "webhook", value: "https://example.com/hooks/reports" },
];

async function fileOf(key: string) {
  const object = await env.REPORTS.get(key);
  expect(object).not.toBeNull();
  return new Uint8Array(await object!.arrayBuffer());
}

describe("the generation consumer", () => {
  it("writes a CSV to R2 that holds exactly the query's rows, then one delivery per recipient", async () => {
    const scheduledFor = new Date("2026-11-23T08:00:00Z");
    const { admin, report } = await reportWithData(
      { reportType: "order_details", format: "csv", parameters: { dateRange: "last_30_days" }, recipients: RECIPIENTS },
      scheduledFor,
    );
    const execution = await insertExecution(admin, report.id, { scheduledFor });
    const result = await consume("report-generation", [generationJob(execution)]);
    expect(result.explicitAcks).toHaveLength(1);

    const done = await executionById(execution.id);
    expect(done).toMatchObject({ status: "completed", attempt: 1, format: "csv" });
    expect(done.fileKey).toBe(`${admin.organizationId}/${report.id}/${execution.id}/${done.fileName}`);
    expect(done.fileName).toMatch(/^weekly-sales-.*_2026-11-23_0900\.csv$/);
    const text = new TextDecoder().decode(await fileOf(done.fileKey!));
    const parsed = Papa.parse<Record<string, string>>(text.trimEnd(), { header: true, newline: "\r\n" }).data;

    const type = getReportType("order_details")!;
    const expected = await readReport(type, queryContext(admin.organizationId, scheduledFor, "Europe/Berlin"), { dateRange: "last_30_days" }, 1000);
    expect(expected.length).toBeGreaterThan(10);
    const labels = type.columns(type.parameters.parse({ dateRange: "last_30_days" }));
    expect(parsed).toHaveLength(expected.length);
    expect(done.rowCount).toBe(expected.length);
    expect(done.fileSize).toBe(text.length === done.fileSize ? text.length : new TextEncoder().encode(text).byteLength);
    parsed.forEach((row, i) => {
      for (const c of labels) expect(row[c.label]).toBe(String(expected[i]![c.key] ?? ""));
    });

    const deliveries = await db().select().from(reportDeliveries).where(eq(reportDeliveries.executionId, execution.id));
    expect(deliveries.map((d) => [d.recipientType, d.recipientValue, d.status]).sort()).toEqual([
      ["email", "ops@example.com", "pending"],
      ["webhook", "https://example.com/hooks/reports", "pending"],
    ]);
  });

  it("writes an XLSX whose cells hold the query's rows as numbers and dates", async () => {
    const scheduledFor = new Date("2026-11-23T08:00:00Z");
    const params = { dateRange: "last_7_days" };
    const { admin, report } = await reportWithData({ reportType: "sales_summary", format: "xlsx", parameters: params }, scheduledFor);
    const execution = await insertExecution(admin, report.id, { scheduledFor });
    await consume("report-generation", [generationJob(execution)]);
    const done = await executionById(execution.id);
    expect(done.status).toBe("completed");
    const wb = readWorkbook(await fileOf(done.fileKey!));
    expect(wb.SheetNames).toEqual([sheetName(report.name)]);
    const sheet = wb.Sheets[wb.SheetNames[0]!]!;
    const type = getReportType("sales_summary")!;
    const columns = type.columns(type.parameters.parse(params));
    const expected = await readReport(type, queryContext(admin.organizationId, scheduledFor, "Europe/Berlin"), params, 1000);
    expect(sheet["!ref"]).toBe(`A1:${String.fromCharCode(64 + columns.length)}${expected.length + 1}`);
    expect(columns.map((_, j) => sheet[XLSX.utils.encode_cell({ r: 0, c: j })]?.v)).toEqual(columns.map((c) => c.label));
    expected.forEach((row, i) => {
      columns.forEach((c, j) => {
        const value = sheet[XLSX.utils.encode_cell({ r: i + 1, c: j })]?.v;
        if (c.type === "date") expect(value).toEqual(new Date(`${row[c.key]}T00:00:00Z`));
        else expect(value).toBe(row[c.key] ?? undefined);
      });
    });
  });

  it("does nothing for a redelivered message: one run, one file, one set of deliveries", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: RECIPIENTS });
    const execution = await insertExecution(admin, report.id);
    await consume("report-generation", [generationJob(execution)]);
    const first = await executionById(execution.id);
    const again = await consume("report-generation", [generationJob(execution), generationJob(execution)]);
    expect(again.explicitAcks).toHaveLength(2);
    const second = await executionById(execution.id);
    expect(second).toEqual(first);
    expect(await db().select().from(reportDeliveries).where(eq(reportDeliveries.executionId, execution.id))).toHaveLength(2);
  });

  it("skips a scheduled run that fell due while the previous run was already going", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const since = Date.now() - 10 * 60_000;
    const running = await insertExecution(admin, report.id, { status: "running", scheduledFor: new Date(since - 60_000), startedAt: new Date(since) });
    const stub = env.REPORT_LOCK.get(env.REPORT_LOCK.idFromName(report.id));
    await runInDurableObject(stub, (lock: ReportLock) => lock.claim(running.id, running.scheduledFor.getTime(), since, 60 * 60_000));
    const next = await insertExecution(admin, report.id, { scheduledFor: new Date(since + 5 * 60_000) });
    const result = await consume("report-generation", [generationJob(next)]);
    expect(result.explicitAcks).toHaveLength(1);
    const skipped = await executionById(next.id);
    expect(skipped.status).toBe("skipped");
    expect(skipped.errorMessage).toContain(running.id);
    // Once the first run is done, the report runs again.
    await env.DB.prepare("update report_executions set status = 'completed' where id = ?").bind(running.id).run();
    await runInDurableObject(stub, (lock: ReportLock) => lock.release(running.id));
    const later = await insertExecution(admin, report.id, { scheduledFor: new Date(since + 8 * 60_000) });
    await consume("report-generation", [generationJob(later)]);
    expect((await executionById(later.id)).status).toBe("completed");
  });

  it("retries a failing run after 1, 5 and 15 minutes, then fails it for good and releases the report", async () => {
    const { admin, report } = await reportWithData({ format: "csv", reportType: registerFailingReportType(), parameters: {} });
    const execution = await insertExecution(admin, report.id);
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const result = await consume("report-generation", [generationJob(execution)]);
      expect(result.retryMessages).toHaveLength(i < 3 ? 1 : 0);
      delays.push(...result.delays.map((d) => d ?? -1));
      const row = await executionById(execution.id);
      expect(row.attempt).toBe(i + 1);
      if (i < 3) expect(row).toMatchObject({ status: "pending", errorMessage: expect.stringContaining(`Attempt ${i + 1} failed`) });
      else expect(result.explicitAcks).toHaveLength(1);
    }
    expect(delays).toEqual([60, 300, 900]);
    const failed = await executionById(execution.id);
    expect(failed.status).toBe("failed");
    expect(failed.errorMessage).toMatch(/Network connection lost/);
    const stub = env.REPORT_LOCK.get(env.REPORT_LOCK.idFromName(report.id));
    expect(await runInDurableObject(stub, (lock: ReportLock) => lock.current())).toBeNull();
    const audit = (await api(`/api/audit-events?type=report_execution.failed`, { token: admin.token })).body.items;
    expect(audit.map((e: any) => e.targetId)).toEqual([execution.id]);
  });

  it("fails at once, without retrying, when the report was deleted", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const execution = await insertExecution(admin, report.id);
    await api(`/api/scheduled-reports/${report.id}`, { method: "DELETE", token: admin.token });
    const result = await consume("report-generation", [generationJob(execution)]);
    expect(result.retryMessages).toEqual([]);
    expect(await executionById(execution.id)).toMatchObject({ status: "failed", errorMessage: expect.stringMatching(/deleted/) });
  });

  it("records an unreadable message and a message for an unknown execution as dead letters", async () => {
    const result = await consume("report-generation", [
      { kind: "generate", executionId: 42 },
      { kind: "generate", executionId: "nope", organizationId: "nope", scheduledReportId: "nope" },
    ]);
    expect(result.explicitAcks).toHaveLength(2);
    const rows = await db().select().from(deadLetters);
    expect(rows.map((r) => r.reason).sort()).toEqual([expect.stringMatching(/No such execution/), expect.stringMatching(/Unreadable message/)].sort());
  });

  it("fails the execution of a message that reached the dead-letter queue, and records it", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const execution = await insertExecution(admin, report.id, { status: "running", attempt: 2, startedAt: new Date() });
    const result = await consume("report-generation-dlq", [generationJob(execution)]);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await executionById(execution.id)).toMatchObject({ status: "failed", errorMessage: expect.stringMatching(/lost/) });
    const [letter] = await db().select().from(deadLetters).where(eq(deadLetters.executionId, execution.id));
    expect(letter).toMatchObject({ queue: "report-generation-dlq", organizationId: admin.organizationId });
  });
});

describe("the watchdog", () => {
  it("re-queues a run stuck in running past the working timeout, and fails one on its last attempt", async () => {
    const { admin, report } = await reportWithData({ format: "csv", schedule: { cron: "0 9 * * 1", timezone: "UTC", startAt: "2030-01-01T00:00:00Z" } });
    const long = new Date(Date.now() - 20 * 60_000);
    const stuck = await insertExecution(admin, report.id, { status: "running", attempt: 1, startedAt: long });
    const last = await insertExecution(admin, report.id, { status: "running", attempt: 4, startedAt: long });
    const fresh = await insertExecution(admin, report.id, { status: "running", attempt: 1, startedAt: new Date() });
    await tick(new Date());
    expect(await executionById(stuck.id)).toMatchObject({ errorMessage: expect.stringMatching(/did not finish within 15 minutes/) });
    expect(["pending", "running", "completed", "skipped"]).toContain((await executionById(stuck.id)).status);
    expect(await executionById(last.id)).toMatchObject({ status: "failed" });
    expect((await executionById(fresh.id)).status).toBe("running");
  });
});

describe("tracing", () => {
  it("puts the execution's trace id on every log line about it, with the step timings", async () => {
    const { admin, report } = await reportWithData({ format: "csv", reportType: "ticket_backlog", parameters: {} });
    const execution = await insertExecution(admin, report.id);
    const lines: Record<string, unknown>[] = [];
    const spy = vi.spyOn(console, "log").mockImplementation((line: unknown) => {
      if (typeof line === "string" && line.startsWith("{")) lines.push(JSON.parse(line));
    });
    try {
      await consume("report-generation", [generationJob(execution)]);
    } finally {
      spy.mockRestore();
    }
    const about = lines.filter((l) => l.executionId === execution.id);
    expect(about.map((l) => l.message)).toEqual(["generation started", "generation completed"]);
    for (const line of about)
      expect(line).toMatchObject({ traceId: execution.traceId, organizationId: admin.organizationId, scheduledReportId: report.id, level: "info" });
    expect(about[1]).toMatchObject({ queryMs: expect.any(Number), uploadMs: expect.any(Number), renderMs: expect.any(Number), rowCount: expect.any(Number) });
  });
});

describe("the delivery dead-letter queue", () => {
  it("fails a delivery whose message was lost, and records it", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: [{ type: "email", value: "ops@example.com" }] });
    const execution = await insertExecution(admin, report.id, { status: "completed" });
    // Written by hand, so that no real queue message races the dead letter.
    const delivery = await insertDelivery(admin, execution.id);
    const result = await consume("report-delivery-dlq", [
      { kind: "deliver", deliveryId: delivery!.id, executionId: execution.id, organizationId: admin.organizationId },
    ]);
    expect(result.explicitAcks).toHaveLength(1);
    const [after] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, delivery!.id));
    expect(after).toMatchObject({ status: "failed", lastError: expect.stringMatching(/lost/) });
    const [letter] = await db().select().from(deadLetters).where(eq(deadLetters.deliveryId, delivery!.id));
    expect(letter).toMatchObject({ queue: "report-delivery-dlq" });
  });
});

describe("the watchdog and lost delivery messages", () => {
  it("queues again a pending delivery whose message never came, and it is sent", async () => {
    const { admin, report } = await reportWithData({ format: "csv", schedule: { cron: "0 9 * * 1", timezone: "UTC", startAt: "2030-01-01T00:00:00Z" } });
    const key = `${admin.organizationId}/${report.id}/lost/file.csv`;
    await env.REPORTS.put(key, "a,b\r\n1,2\r\n", { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
    const execution = await insertExecution(admin, report.id, {
      status: "completed",
      fileKey: key,
      fileName: "file.csv",
      fileSize: 10,
      completedAt: new Date(),
    });
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const [delivery] = await db()
      .insert(reportDeliveries)
      .values({
        id: crypto.randomUUID(),
        organizationId: admin.organizationId,
        executionId: execution.id,
        recipientType: "email",
        recipientValue: "ops@example.com",
        createdAt: tenMinutesAgo,
        updatedAt: tenMinutesAgo,
      })
      .returning();
    await tick(new Date());
    await vi.waitFor(
      async () => {
        const [row] = await db().select().from(reportDeliveries).where(eq(reportDeliveries.id, delivery!.id));
        expect(row!.status).toBe("sent");
      },
      { timeout: 15_000, interval: 200 },
    );
  });
});
