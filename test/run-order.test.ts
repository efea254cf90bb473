import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { ReportLock } from "../src/durable-objects/report-lock";
import { WAIT_FOR_TURN_SECONDS } from "../src/jobs/generate/run-generation";
import { enqueueDueRuns } from "../src/jobs/schedule/enqueue-due";
import {
  consume,
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
