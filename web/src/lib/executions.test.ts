import { describe, expect, it } from "vitest";
import document from "./api/openapi.json";
import type { Execution } from "./api.ts";
import { describeTrigger, EXECUTION_STATUSES, isRetryable, isUnfinished, mergeFresh, withNewRuns } from "./executions.ts";

const run = (id: string, status: Execution["status"]): Execution => ({
  id,
  status,
  scheduledFor: "2026-11-30T09:00:00.000Z",
  trigger: "manual",
  attempt: 1,
  startedAt: null,
  completedAt: null,
  durationMs: null,
  rowCount: null,
  fileSize: null,
  format: "csv",
  errorMessage: null,
  dataAsOf: null,
  deliverySkipped: null,
  scheduledReportId: "r1",
  reportName: "Report",
  triggeredBy: null,
  fileName: null,
  traceId: "t",
  pinned: false,
  fileExpiredAt: null,
});

describe("history helpers", () => {
  it("knows which runs may still change", () => {
    const statuses: Execution["status"][] = ["pending", "running", "completed", "failed", "skipped", "cancelled"];
    expect(statuses.map((status) => isUnfinished({ status }))).toEqual([true, true, false, false, false, false]);
    expect(statuses.map((status) => isRetryable({ status }))).toEqual([false, false, false, true, true, true]);
  });
  it("filters by every status the API filters by, and by nothing else", () => {
    // The API's own list (cancelled included), not a copy of ours: a status added to the API and
    // missing from the history's filter fails here.
    const status = document.paths["/executions"].get.parameters.find((p: { name: string }) => p.name === "status");
    expect(status).toBeDefined();
    expect([...EXECUTION_STATUSES].sort()).toEqual([...(status!.schema as { enum: string[] }).enum].sort());
  });
  it("says a data-ready trigger started a run", () => {
    expect(describeTrigger("event")).toBe("data-ready trigger");
    expect(describeTrigger("manual")).toBe("manual");
  });
  it("puts runs started since the list was loaded first, once", () => {
    const list = [run("b", "completed")];
    expect(withNewRuns(list, [run("c", "pending"), run("b", "completed")]).map((e) => e.id)).toEqual(["c", "b"]);
    expect(withNewRuns(list, [run("b", "completed")])).toEqual(list);
  });
  it("puts refreshed runs in place and keeps the others", () => {
    const list = [run("a", "running"), run("b", "completed")];
    const merged = mergeFresh(list, new Map([["a", run("a", "completed")]]));
    expect(merged.map((e) => [e.id, e.status])).toEqual([
      ["a", "completed"],
      ["b", "completed"],
    ]);
  });
});
