import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { scheduledReports } from "../src/db/schema";
import { newOrganization } from "./support/api";
import { createReport } from "./support/factories";
import { db, executionsOf, setNextRun, tick } from "./support/pipeline";

const minute = (d = new Date()) => new Date(Math.floor(d.getTime() / 60_000) * 60_000);
const reportRow = async (id: string) => (await db().select().from(scheduledReports).where(eq(scheduledReports.id, id)))[0]!;

describe("the scheduler tick", () => {
  it("creates one execution per report and time when ticks overlap or repeat, and advances next_run_at", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: { cron: "*/5 * * * *", timezone: "UTC" } });
    const due = new Date(Math.floor(Date.now() / 300_000) * 300_000);
    await setNextRun(report.id, due);
    await Promise.all([tick(due), tick(due), tick(new Date(due.getTime() + 1000))]);
    await tick(due);
    const runs = await executionsOf(report.id);
    expect(runs.map((e) => [e.scheduledFor.toISOString(), e.trigger])).toEqual([[due.toISOString(), "schedule"]]);
    const after = await reportRow(report.id);
    expect(after.nextRunAt?.toISOString()).toBe(new Date(due.getTime() + 300_000).toISOString());
    expect(after.lastRunAt?.toISOString()).toBe(due.toISOString());
  });

  it("leaves reports that are not due, paused or of no concern alone", async () => {
    const admin = await newOrganization();
    const future = await createReport(admin, { schedule: { cron: "0 9 * * 1", timezone: "UTC", startAt: "2030-01-01T00:00:00Z" } });
    const paused = await createReport(admin, { schedule: { cron: "*/5 * * * *", timezone: "UTC" }, isActive: false });
    await tick(minute());
    expect(await executionsOf(future.id)).toEqual([]);
    expect(await executionsOf(paused.id)).toEqual([]);
  });

  describe.each([
    ["skip", [] as string[]],
    ["latest", ["2026-11-20T09:00:00.000Z"]],
    ["all", ["2026-11-20T07:00:00.000Z", "2026-11-20T08:00:00.000Z", "2026-11-20T09:00:00.000Z"]],
  ] as const)("after downtime, catch-up policy %s", (catchUp, expected) => {
    it("runs the missed times the policy asks for, with their original scheduled-for times", async () => {
      const admin = await newOrganization();
      const report = await createReport(admin, { schedule: { cron: "0 * * * *", timezone: "UTC", catchUp } });
      // Down from 04:00 to 09:30: 04:00 … 09:00 were missed (6 runs); CATCH_UP_MAX_RUNS caps "all".
      await setNextRun(report.id, new Date("2026-11-20T04:00:00Z"));
      const now = new Date("2026-11-20T09:30:00Z");
      await tick(now);
      const capped = catchUp === "all" ? (await executionsOf(report.id)).length : null;
      const runs = (await executionsOf(report.id)).map((e) => e.scheduledFor.toISOString());
      if (catchUp === "all") {
        expect(capped).toBe(Math.min(6, Number(env.CATCH_UP_MAX_RUNS)));
        expect(runs.slice(-3)).toEqual(expected);
      } else {
        expect(runs).toEqual(expected);
      }
      expect((await reportRow(report.id)).nextRunAt?.toISOString()).toBe("2026-11-20T10:00:00.000Z");
    });
  });

  it("fires a daily 09:00 New York report at 14:00Z before the DST change and 13:00Z after", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: { cron: "0 9 * * *", timezone: "America/New_York" } });
    await setNextRun(report.id, new Date("2026-03-07T14:00:00Z"));
    await tick(new Date("2026-03-07T14:00:00Z"));
    expect((await reportRow(report.id)).nextRunAt?.toISOString()).toBe("2026-03-08T13:00:00.000Z");
    await tick(new Date("2026-03-08T13:00:00Z"));
    expect((await executionsOf(report.id)).map((e) => e.scheduledFor.toISOString())).toEqual(["2026-03-07T14:00:00.000Z", "2026-03-08T13:00:00.000Z"]);
  });

  it("stops after endAt", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin, { schedule: { cron: "0 * * * *", timezone: "UTC", endAt: "2030-01-01T10:00:00Z" } });
    await setNextRun(report.id, new Date("2030-01-01T10:00:00Z"));
    await tick(new Date("2030-01-01T10:00:00Z"));
    expect((await reportRow(report.id)).nextRunAt).toBeNull();
    expect((await executionsOf(report.id)).map((e) => e.scheduledFor.toISOString())).toEqual(["2030-01-01T10:00:00.000Z"]);
  });
});
