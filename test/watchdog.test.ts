import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { runWatchdog } from "../src/jobs/watchdog/watchdog";
import { newOrganization } from "./support/api";
import { createReport } from "./support/factories";
import { insertPendingRuns } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

/** `n` pending runs of a fresh report whose messages were expected at `expectedAt`. */
async function pendingRuns(n: number, expectedAt: number) {
  const admin = await newOrganization();
  const report = await createReport(admin);
  return { admin, ids: await insertPendingRuns(admin, report.id, n, expectedAt) };
}

const nextAttempts = async (org: string) =>
  (await env.DB.prepare("select distinct next_attempt_at as t from report_executions where organization_id = ?").bind(org).all<{ t: number }>()).results.map(
    (r) => r.t,
  );

describe("the watchdog", () => {
  it("sends nothing for a backlog of 2,000 runs whose messages are not overdue, and leaves their times alone", async () => {
    const now = Date.now();
    const { admin } = await pendingRuns(2000, now - 2 * 60_000);
    const queues = recordingQueues();
    const result = await runWatchdog(queues.env, new Date(now));
    expect(result.requeued).toBe(0);
    expect(queues.sent).toEqual([]);
    expect(await nextAttempts(admin.organizationId)).toEqual([now - 2 * 60_000]);
  });

  it("sends an overdue run again once for that sending, at most 100 a tick, never moving its expected time", async () => {
    const now = Date.now();
    const expected = now - 20 * 60_000;
    const { admin, ids } = await pendingRuns(150, expected);
    const queues = recordingQueues();
    const mine = () => queues.sent.filter((m) => ids.includes((m as { executionId: string }).executionId)).length;
    await runWatchdog(queues.env, new Date(now));
    expect(mine()).toBe(100);
    await runWatchdog(queues.env, new Date(now + 60_000));
    expect(mine()).toBe(150);
    // A driven-ahead scheduler (six hours on) finds nothing left to recover for these sendings.
    await runWatchdog(queues.env, new Date(now + 6 * 3_600_000));
    expect(mine()).toBe(150);
    expect(new Set(queues.sent.map((m) => (m as { executionId: string }).executionId)).size).toBe(queues.sent.length);
    expect(await nextAttempts(admin.organizationId)).toEqual([expected]);
  });

  it("re-sends a lost delivery retry once, without stamping the tick's (future) time on it", async () => {
    const now = Date.now();
    const { admin, ids } = await pendingRuns(1, now - 60 * 60_000);
    await env.DB.prepare("update report_executions set status = 'completed', file_key = 'k' where id = ?").bind(ids[0]).run();
    const deliveryId = crypto.randomUUID();
    const retryAt = now - 10 * 60_000;
    await env.DB.prepare(
      `insert into report_deliveries (id, organization_id, report_execution_id, recipient_type, recipient_value, status, attempts, next_attempt_at, created_at, updated_at)
       values (?1, ?2, ?3, 'email', 'ops@example.com', 'pending', 1, ?4, ?5, ?5)`,
    )
      .bind(deliveryId, admin.organizationId, ids[0], retryAt, now - 30 * 60_000)
      .run();
    const queues = recordingQueues();
    const ahead = new Date(now + 6.6 * 3_600_000);
    await runWatchdog(queues.env, ahead);
    await runWatchdog(queues.env, new Date(ahead.getTime() + 60_000));
    expect(queues.sent.filter((m) => (m as { deliveryId?: string }).deliveryId === deliveryId)).toHaveLength(1);
    const row = await env.DB.prepare("select next_attempt_at as t, recovered_at_attempt as r from report_deliveries where id = ?")
      .bind(deliveryId)
      .first<{ t: number; r: number }>();
    expect(row).toEqual({ t: retryAt, r: 1 });
  });
});
