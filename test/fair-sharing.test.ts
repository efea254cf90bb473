import { describe, expect, it } from "vitest";
import { WAIT_FOR_TURN_SECONDS } from "../src/jobs/generate/run-generation";
import { createReport } from "./support/factories";
import { consume, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

type Sent = { kind: string; executionId: string };

describe("fair sharing between organizations", () => {
  it("holds back a flooding organization's runs at its share, so another organization's run completes first", async () => {
    const flood = await reportWithData({ format: "csv" });
    const quiet = await reportWithData({ format: "csv" });
    // The flooding organization already has its share (5) generating, on reports of its own.
    for (let i = 0; i < 5; i++) {
      const busy = await createReport(flood.admin);
      await insertExecution(flood.admin, busy.id, { status: "running", startedAt: new Date() });
    }
    // Its next runs and the quiet organization's one arrive in one batch, the flood's first.
    const waiting = await Promise.all(
      Array.from({ length: 8 }, async () =>
        insertExecution(flood.admin, (await createReport(flood.admin)).id, { scheduledFor: new Date(Date.now() - 60_000) }),
      ),
    );
    const theirs = await insertExecution(quiet.admin, quiet.report.id);
    const queues = recordingQueues();
    const result = await consume("report-generation", [...waiting.map(generationJob), generationJob(theirs)], { env: queues.env });
    expect(result.explicitAcks).toHaveLength(9);

    expect((await executionById(theirs.id)).status).toBe("completed");
    for (const run of waiting) expect((await executionById(run.id)).status).toBe("pending");
    // Each held-back run comes back later as a fresh message (no queue retry used up), with its due time moved.
    const again = (queues.sent as Sent[]).filter((m) => m.kind === "generate");
    expect(again.map((m) => m.executionId).sort()).toEqual(waiting.map((r) => r.id).sort());
    const moved = await executionById(waiting[0]!.id);
    expect(moved.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + (WAIT_FOR_TURN_SECONDS - 5) * 1000);
  });
});
