import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { HEAVY_ROW_THRESHOLD } from "../src/jobs/messages";
import { enqueueDueRuns } from "../src/jobs/schedule/enqueue-due";
import { consume, executionById, generationJob, insertExecution, reportWithData, setNextRun } from "./support/pipeline";

type Sent = { kind: string; executionId: string; heavy?: boolean };

/** The app's bindings with each generation queue recording on its own. */
function splitQueues() {
  const light: Sent[] = [];
  const heavy: Sent[] = [];
  const recorder = (into: Sent[]) => ({
    sendBatch: async (batch: { body: Sent }[]) => void into.push(...batch.map((m) => m.body)),
    send: async (body: Sent) => void into.push(body),
  });
  const deliveries = { sendBatch: async () => {}, send: async () => {} };
  return {
    light,
    heavy,
    env: { ...env, GENERATION_QUEUE: recorder(light), HEAVY_GENERATION_QUEUE: recorder(heavy), DELIVERY_QUEUE: deliveries } as unknown as Env,
  };
}

describe("the heavy generation queue", () => {
  it("takes PDFs and reports whose last run was large; small reports stay on the light queue", async () => {
    const at = new Date(Date.UTC(2026, 10, 30, 9, 0));
    const hourly = { cron: "0 * * * *", timezone: "UTC" };
    const pdf = await reportWithData({ format: "pdf", schedule: hourly });
    const small = await reportWithData({ format: "csv", schedule: hourly });
    const large = await reportWithData({ format: "xlsx", schedule: hourly });
    await env.DB.prepare("update scheduled_reports set last_row_count = ? where id = ?")
      .bind(HEAVY_ROW_THRESHOLD + 1, large.report.id)
      .run();
    for (const r of [pdf, small, large]) await setNextRun(r.report.id, at);
    const queues = splitQueues();
    await enqueueDueRuns(queues.env, at);
    const ids = async (list: Sent[]) => Promise.all(list.map(async (m) => (await executionById(m.executionId)).scheduledReportId));
    expect((await ids(queues.heavy)).sort()).toEqual([pdf.report.id, large.report.id].sort());
    expect(queues.heavy.every((m) => m.heavy === true)).toBe(true);
    expect(await ids(queues.light)).toEqual([small.report.id]);
  });

  it("learns a report's size from its last run, and sends a waiting heavy run back to the heavy queue", async () => {
    const { admin, report } = await reportWithData({ format: "csv" });
    const first = await insertExecution(admin, report.id);
    await consume("report-generation", [generationJob(first)], { env: splitQueues().env });
    const done = await executionById(first.id);
    expect(done.status).toBe("completed");
    const row = await env.DB.prepare("select last_row_count as n from scheduled_reports where id = ?").bind(report.id).first<{ n: number }>();
    expect(row!.n).toBe(done.rowCount);

    // A heavy run that must wait for an earlier one is deferred on the heavy queue.
    const earlier = await insertExecution(admin, report.id, { scheduledFor: new Date(Date.now() - 120_000) });
    const later = await insertExecution(admin, report.id, { scheduledFor: new Date(Date.now() - 60_000) });
    const queues = splitQueues();
    await consume("report-generation-heavy", [{ ...generationJob(later), heavy: true }], { env: queues.env });
    expect((await executionById(later.id)).status).toBe("pending");
    expect(queues.heavy).toEqual([expect.objectContaining({ executionId: later.id, heavy: true })]);
    expect(queues.light).toEqual([]);
    expect((await executionById(earlier.id)).status).toBe("pending");
  });
});
