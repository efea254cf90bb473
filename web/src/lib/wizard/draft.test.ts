import { describe, expect, it } from "vitest";
import type { ScheduledReport } from "../api.ts";
import { ReportDraft } from "./draft.svelte.ts";

const bounds = { startAt: "2030-01-01T00:00:00.000Z", endAt: "2031-06-30T21:59:59.000Z" };
const loaded: ScheduledReport = {
  id: "r1",
  name: "Month-end orders",
  reportType: "order_details",
  parameters: { dateRange: "last_month", region: "EU" },
  format: "csv",
  schedule: {
    cron: "45 7 L * *",
    preset: "monthly",
    time: "07:45",
    dayOfMonth: "last",
    timezone: "Europe/Berlin",
    ...bounds,
    catchUp: "all",
    description: "On the last day of every month at 07:45",
  },
  recipients: [
    { type: "email", value: "month-end@example.com" },
    { type: "slack", value: "https://hooks.slack.com/services/T000/B000/XXXX" },
  ],
  compress: true,
  key: "month-end",
  deliverWhen: { mode: "ifChanged" },
  emptyResult: "deliver",
  triggerParameters: [],
  isActive: true,
  nextRunAt: null,
  lastRunAt: null,
  createdBy: "u1",
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

describe("fail when empty", () => {
  it("is off for a new report, sent as emptyResult, and changed only when toggled", () => {
    const fresh = new ReportDraft();
    expect(fresh.createBody().emptyResult).toBe("deliver");
    fresh.failWhenEmpty = true;
    expect(fresh.createBody().emptyResult).toBe("fail");
    const editing = new ReportDraft({ ...loaded, emptyResult: "fail" });
    expect(editing.failWhenEmpty).toBe(true);
    expect(editing.changes).toEqual({});
    editing.failWhenEmpty = false;
    expect(editing.changes).toEqual({ emptyResult: "deliver" });
  });
});

describe("editing a loaded report", () => {
  it("changes nothing when nothing is touched", () => {
    expect(new ReportDraft(loaded).changes).toEqual({});
  });

  it("sends only the name when only the name changes", () => {
    const draft = new ReportDraft(loaded);
    draft.name = "Renamed";
    expect(draft.changes).toEqual({ name: "Renamed" });
  });

  it("sends the whole schedule, unshown fields included, when one schedule field changes", () => {
    const draft = new ReportDraft(loaded);
    draft.time = "10:30";
    expect(draft.changes).toEqual({ schedule: { preset: "monthly", time: "10:30", dayOfMonth: "last", timezone: "Europe/Berlin", ...bounds, catchUp: "all" } });
  });

  it("drops the old preset's fields when the preset changes, and has no change after switching back", () => {
    const draft = new ReportDraft(loaded);
    draft.preset = "weekly";
    expect(draft.changes.schedule).toEqual({ preset: "weekly", time: "07:45", timezone: "Europe/Berlin", ...bounds, catchUp: "all" });
    draft.preset = "monthly";
    expect(draft.changes).toEqual({});
  });

  it("switches a preset to its cron expression", () => {
    const draft = new ReportDraft(loaded);
    draft.mode = "cron";
    expect(draft.changes.schedule).toEqual({ cron: "45 7 L * *", timezone: "Europe/Berlin", ...bounds, catchUp: "all" });
  });

  it("keeps a cron schedule as it was", () => {
    const draft = new ReportDraft({
      ...loaded,
      schedule: { cron: "5 4 * * *", timezone: "UTC", startAt: null, endAt: null, catchUp: "skip", description: "At 04:05" },
    });
    expect(draft.changes).toEqual({});
    draft.catchUp = "latest";
    expect(draft.changes).toEqual({ schedule: { cron: "5 4 * * *", timezone: "UTC", startAt: null, endAt: null, catchUp: "latest" } });
  });

  it("turns compression off with a format other than CSV", () => {
    const draft = new ReportDraft(loaded);
    draft.format = "xlsx";
    expect(draft.changes).toEqual({ format: "xlsx", compress: false });
  });

  it("ignores key order and cleared (undefined) parameters", () => {
    const draft = new ReportDraft(loaded);
    draft.parameters = { region: "EU", dateRange: "last_month", from: undefined };
    expect(draft.changes).toEqual({});
    draft.parameters.region = "APAC";
    expect(draft.changes).toEqual({ parameters: { dateRange: "last_month", region: "APAC" } });
  });

  it("sends the recipients when one is removed", () => {
    const draft = new ReportDraft(loaded);
    draft.recipients = draft.recipients.slice(1);
    expect(draft.changes).toEqual({ recipients: [{ type: "slack", value: "https://hooks.slack.com/services/T000/B000/XXXX" }] });
  });
});

describe("a new report", () => {
  it("is created with the defaults, and a daily schedule runs every day", () => {
    const draft = new ReportDraft();
    draft.name = "Backlog";
    draft.reportType = "ticket_backlog";
    expect(draft.createBody()).toMatchObject({
      compress: false,
      recipients: [],
      schedule: { preset: "weekly", time: "09:00", daysOfWeek: [1], catchUp: "latest", startAt: null, endAt: null },
    });
    draft.preset = "daily";
    expect(draft.createBody().schedule).toEqual({ preset: "daily", time: "09:00", catchUp: "latest", startAt: null, endAt: null, timezone: draft.timezone });
  });
});

describe("a report run when its data is ready", () => {
  const triggered: ScheduledReport = {
    ...loaded,
    schedule: {
      trigger: "event",
      deadline: "09:30",
      onMissedDeadline: "alert",
      // The API answers with the deadline's cron, which it would refuse back next to a trigger.
      cron: "30 9 * * *",
      timezone: "Europe/Berlin",
      startAt: null,
      endAt: null,
      catchUp: "latest",
      description: "When its data is ready (the first trigger each day); if no trigger came by 09:30 Europe/Berlin, its owner is told",
    },
  };

  it("changes nothing when nothing is touched", () => {
    const draft = new ReportDraft(triggered);
    expect(draft.mode).toBe("event");
    expect(draft.changes).toEqual({});
  });

  it("sends the trigger without cron or preset when the deadline changes, and none when it is cleared", () => {
    const draft = new ReportDraft(triggered);
    draft.deadline = "10:00";
    expect(draft.changes).toEqual({
      schedule: { trigger: "event", deadline: "10:00", onMissedDeadline: "alert", timezone: "Europe/Berlin", startAt: null, endAt: null, catchUp: "latest" },
    });
    draft.deadline = undefined;
    expect(draft.changes.schedule).not.toHaveProperty("deadline");
  });

  it("turns a clock schedule into a trigger without the clock's fields, and back without a change", () => {
    const draft = new ReportDraft(loaded);
    draft.mode = "event";
    draft.deadline = "08:15";
    expect(draft.changes).toEqual({ schedule: { trigger: "event", deadline: "08:15", onMissedDeadline: "run", timezone: "Europe/Berlin", ...bounds } });
    draft.mode = "preset";
    expect(draft.changes).toEqual({});
  });

  it("turns a trigger into a preset or a cron without the trigger's fields", () => {
    const draft = new ReportDraft(triggered);
    draft.mode = "preset";
    draft.preset = "daily";
    draft.time = "07:00";
    expect(draft.changes.schedule).toEqual({ preset: "daily", time: "07:00", timezone: "Europe/Berlin", startAt: null, endAt: null, catchUp: "latest" });
    draft.mode = "cron";
    expect(draft.changes.schedule).toEqual({ cron: "0 9 * * 1", timezone: "Europe/Berlin", startAt: null, endAt: null, catchUp: "latest" });
  });

  it("is created with only the trigger's fields", () => {
    const draft = new ReportDraft();
    draft.mode = "event";
    draft.deadline = "09:30";
    draft.onMissedDeadline = "alert";
    expect(draft.createBody().schedule).toEqual({
      trigger: "event",
      deadline: "09:30",
      onMissedDeadline: "alert",
      timezone: draft.timezone,
      startAt: null,
      endAt: null,
    });
  });
});
