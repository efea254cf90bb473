import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ReportLock } from "../src/durable-objects/report-lock";
import { completeExecution } from "../src/jobs/generate/complete";
import { WAIT_FOR_TURN_SECONDS } from "../src/jobs/generate/run-generation";
import { enqueueDueRuns } from "../src/jobs/schedule/enqueue-due";
import { api, expectError, newMember, newOrganization } from "./support/api";
import {
  consume,
  db,
  executionById,
  executionsOf,
  generationJob,
  insertExecution,
  registerFailingReportType,
  reportWithData,
  setNextRun,
} from "./support/pipeline";
import { recordingQueues } from "./support/queues";

type Sent = { kind: string };

/**
 * Plays the generation queue: delivers the batch, collects what the consumer sends back (runs that
 * wait for their turn), and delivers those in the next round, until nothing is left.
 */
async function drain(first: unknown[], maxRounds = 20) {
  let batch = first;
  let rounds = 0;
  let waits = 0;
  while (batch.length && rounds++ < maxRounds) {
    const queues = recordingQueues();
    await consume("report-generation", batch, { env: queues.env });
    batch = (queues.sent as Sent[]).filter((m) => m.kind === "generate");
    waits += batch.length;
  }
  return { rounds, waits, left: batch.length };
}

describe("runs of one report", () => {
  it("catch-up 'all' after 6 missed hours of an hourly report completes all 6, oldest first, whatever order the messages come in", async () => {
    const now = new Date("2026-11-23T16:00:30Z");
    const { report } = await reportWithData(
      {
        format: "csv",
        reportType: "sales_summary",
        parameters: { dateRange: "yesterday" },
        recipients: [],
        schedule: { cron: "0 * * * *", timezone: "UTC", catchUp: "all" },
      },
      now,
    );
    await setNextRun(report.id, new Date("2026-11-23T11:00:00Z"));
    const tick = recordingQueues();
    await enqueueDueRuns(tick.env, now);
    const messages = (tick.sent as Sent[]).filter((m) => m.kind === "generate");
    expect(messages).toHaveLength(6);
    const result = await drain([...messages].reverse());
    expect(result.left).toBe(0);
    expect(result.waits).toBeGreaterThan(0);
    const runs = await executionsOf(report.id);
    expect(runs.map((r) => r.status)).toEqual(Array(6).fill("completed"));
    expect(runs.map((r) => r.scheduledFor.toISOString().slice(11, 16))).toEqual(["11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]);
    // Oldest first: each run started after the one before it completed.
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt!.getTime()).toBeGreaterThanOrEqual(runs[i - 1]!.completedAt!.getTime());
  });

  it("'run now' during a run waits and completes after it, instead of being skipped", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: [] });
    const since = Date.now() - 60_000;
    const running = await insertExecution(admin, report.id, { status: "running", scheduledFor: new Date(since - 1000), startedAt: new Date(since) });
    const stub = env.REPORT_LOCK.get(env.REPORT_LOCK.idFromName(report.id));
    await runInDurableObject(stub, (lock: ReportLock) => lock.claim(running.id, running.scheduledFor.getTime(), since, 60 * 60_000));
    const manual = await insertExecution(admin, report.id, { trigger: "manual", scheduledFor: new Date() });

    const queues = recordingQueues();
    await consume("report-generation", [generationJob(manual)], { env: queues.env });
    const waiting = await executionById(manual.id);
    expect(waiting.status).toBe("pending");
    expect(waiting.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + (WAIT_FOR_TURN_SECONDS - 5) * 1000);
    expect(queues.sent).toEqual([expect.objectContaining({ kind: "generate", executionId: manual.id })]);

    // The running run finishes; the waiting one goes next.
    await env.DB.prepare("update report_executions set status = 'completed', completed_at = ? where id = ?").bind(Date.now(), running.id).run();
    await runInDurableObject(stub, (lock: ReportLock) => lock.release(running.id));
    await drain(queues.sent);
    expect((await executionById(manual.id)).status).toBe("completed");
  });

  it("does not wait forever behind an earlier run whose message was lost even after the watchdog sent it again", async () => {
    const { admin, report } = await reportWithData({ format: "csv", recipients: [] });
    const lostAt = Date.now() - 3 * 3_600_000;
    // Its message was lost, the watchdog sent it again (recovered_for), and that one was lost too.
    await insertExecution(admin, report.id, { scheduledFor: new Date(lostAt - 60_000), nextAttemptAt: new Date(lostAt), recoveredFor: new Date(lostAt) });
    const later = await insertExecution(admin, report.id, { scheduledFor: new Date(Date.now() - 60_000) });
    await drain([generationJob(later)]);
    expect((await executionById(later.id)).status).toBe("completed");
  });

  it("does not hold the report's lock while a run waits for its retry", async () => {
    const typeId = registerFailingReportType("test_failing_for_lock");
    const { admin, report } = await reportWithData({ format: "csv", recipients: [] });
    await env.DB.prepare("update scheduled_reports set report_type = ? where id = ?").bind(typeId, report.id).run();
    const execution = await insertExecution(admin, report.id);
    const result = await consume("report-generation", [generationJob(execution)], { env: recordingQueues().env });
    expect(result.retryMessages).toHaveLength(1);
    expect((await executionById(execution.id)).status).toBe("pending");
    const stub = env.REPORT_LOCK.get(env.REPORT_LOCK.idFromName(report.id));
    expect(await runInDurableObject(stub, (lock: ReportLock) => lock.current())).toBeNull();
  });
});

describe("cancelling a run", () => {
  it("stops a pending run: nothing runs or is delivered, and the next run may go", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const pending = await insertExecution(admin, report.id, { scheduledFor: new Date(Date.now() - 120_000) });
    const res = await api(`/api/executions/${pending.id}/cancel`, { token: admin.token, method: "POST" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: pending.id, status: "cancelled", errorMessage: expect.stringMatching(/Cancelled by a user/) });
    await consume("report-generation", [generationJob(pending)], { env: recordingQueues().env });
    expect((await executionById(pending.id)).status).toBe("cancelled");
    const deliveries = await env.DB.prepare("select count(*) as n from report_deliveries where report_execution_id = ?")
      .bind(pending.id)
      .first<{ n: number }>();
    expect(deliveries!.n).toBe(0);
    // A later run is not held up by the cancelled one.
    const later = await insertExecution(admin, report.id, { scheduledFor: new Date(Date.now() - 60_000) });
    await drain([generationJob(later)]);
    expect((await executionById(later.id)).status).toBe("completed");
    const audit = await env.DB.prepare("select type from audit_events where target_id = ? and type = 'report_execution.cancelled'").bind(pending.id).all();
    expect(audit.results).toHaveLength(1);
  });

  it("stops a running run: the report's lock is released and the run's late result is discarded", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const since = Date.now() - 60_000;
    const running = await insertExecution(admin, report.id, { status: "running", attempt: 1, startedAt: new Date(since) });
    const stub = env.REPORT_LOCK.get(env.REPORT_LOCK.idFromName(report.id));
    await runInDurableObject(stub, (lock: ReportLock) => lock.claim(running.id, running.scheduledFor.getTime(), since, 60 * 60_000));
    expect((await api(`/api/executions/${running.id}/cancel`, { token: admin.token, method: "POST" })).status).toBe(200);
    expect(await runInDurableObject(stub, (lock: ReportLock) => lock.current())).toBeNull();
    // The consumer that was working on it finishes: its file is not the execution's.
    const key = `${admin.organizationId}/${report.id}/${running.id}/late.csv`;
    await env.REPORTS.put(key, "a\r\n");
    const file = {
      key,
      fileName: "late.csv",
      size: 3,
      rowCount: 1,
      durationMs: 1,
      recipients: [{ type: "email" as const, value: "ops@example.com" }],
      resultHash: "h",
      deliverySkipped: null,
      keepFile: true,
      steps: { queryMs: 0, uploadMs: 0, renderMs: 0 },
    };
    await completeExecution(recordingQueues().env, db(), await executionById(running.id).then((e) => ({ ...e, status: "running" as const })), file, new Date());
    expect(await executionById(running.id)).toMatchObject({ status: "cancelled", fileKey: null });
    expect(await env.REPORTS.head(key)).toBeNull();
  });

  it("refuses a finished run, a viewer and another organization", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const done = await insertExecution(admin, report.id, { status: "completed" });
    expectError(await api(`/api/executions/${done.id}/cancel`, { token: admin.token, method: "POST" }), 409, "conflict");
    const pending = await insertExecution(admin, report.id);
    const viewer = await newMember(admin, "viewer");
    expectError(await api(`/api/executions/${pending.id}/cancel`, { token: viewer.token, method: "POST" }), 403);
    const other = await newOrganization();
    expectError(await api(`/api/executions/${pending.id}/cancel`, { token: other.token, method: "POST" }), 404);
    expect((await executionById(pending.id)).status).toBe("pending");
  });
});
