// The report the wizard edits, in one place. It starts from the report as loaded (or from defaults
// for a new one); every field the wizard does not show is kept as loaded, and an edit is saved as a
// PATCH of the top-level fields that differ from the loaded report.
import type { CreateScheduledReport, Recipient, ReportType, ScheduledReport, ScheduleInput, UpdateScheduledReport } from "../api.ts";
import { viewerZone } from "../time.ts";
import { DeliveryDraft } from "./delivery-draft.svelte.ts";

export type Format = ScheduledReport["format"];
export type Preset = NonNullable<ScheduleInput["preset"]>;
export type CatchUp = NonNullable<ScheduleInput["catchUp"]>;
export type DayOfMonth = NonNullable<ScheduleInput["dayOfMonth"]>;
export type DraftRecipient = { type: Recipient["type"]; value: string };
export type MissedDeadline = NonNullable<ScheduleInput["onMissedDeadline"]>;
/** On the clock (a preset or a cron expression), or when the data is ready (a trigger). */
export type ScheduleMode = "preset" | "cron" | "event";

export const PRESETS: readonly Preset[] = ["hourly", "daily", "weekly", "monthly"];
export const CATCH_UP: readonly CatchUp[] = ["skip", "latest", "all"];
export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** What the scheduler assumes when a preset leaves a field out (see presetToCron in the API). */
export const PRESET_DEFAULTS = { time: "09:00", minute: 0, weeklyDays: [1], dayOfMonth: 1 } as const;

const PRESET_KEYS = ["preset", "time", "minute", "daysOfWeek", "dayOfMonth"] as const;
const EVENT_KEYS = ["trigger", "deadline", "onMissedDeadline"] as const;

/**
 * The report's schedule as the input the API would accept back: no description, and no expanded cron
 * next to a preset or a trigger (a triggered report's cron is only its deadline, which the API refuses back).
 */
export function scheduleInputOf(schedule: ScheduledReport["schedule"]): ScheduleInput {
  const { description: _description, cron, ...rest } = schedule;
  return withoutUndefined(schedule.preset || schedule.trigger === "event" ? rest : { ...rest, cron });
}

function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** JSON with sorted keys and without undefined values: equal for equal data, whatever the key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}
export const sameData = (a: unknown, b: unknown) => canonical(a) === canonical(b);

export class ReportDraft {
  readonly loaded: ScheduledReport | undefined;
  readonly #loadedSchedule: ScheduleInput | undefined;

  name = $state("");
  /** The report's key for schedules as code; empty = no key. */
  key = $state("");
  readonly delivery: DeliveryDraft;
  reportType = $state("");
  parameters = $state<Record<string, unknown>>({});
  format = $state<Format>("csv");
  compress = $state(false);
  /** emptyResult "fail": a run with no rows fails and sends nothing, instead of delivering an empty file. */
  failWhenEmpty = $state(false);
  recipients = $state<DraftRecipient[]>([]);

  // The schedule, one field per control. Preset fields stay undefined while the loaded report leaves
  // them out (the controls show the scheduler's default) so that an untouched schedule stays as it was.
  mode = $state<ScheduleMode>("preset");
  preset = $state<Preset>("weekly");
  time = $state<string | undefined>();
  minute = $state<number | undefined>();
  /** Daily runs on these days only; undefined = every day. */
  dailyDays = $state<number[] | undefined>();
  weeklyDays = $state<number[] | undefined>();
  dayOfMonth = $state<DayOfMonth | undefined>();
  cron = $state("0 9 * * 1");
  timezone = $state(viewerZone());
  catchUp = $state<CatchUp>("latest");
  /** A triggered report: HH:MM by which the trigger should have come; undefined = no deadline. */
  deadline = $state<string | undefined>();
  onMissedDeadline = $state<MissedDeadline>("run");
  startAt = $state<string | null>(null);
  endAt = $state<string | null>(null);

  constructor(report?: ScheduledReport) {
    const loaded = report && $state.snapshot(report);
    this.loaded = loaded;
    this.delivery = new DeliveryDraft(loaded?.deliverWhen);
    if (!loaded) {
      this.recipients = [{ type: "email", value: "" }];
      this.time = PRESET_DEFAULTS.time;
      this.weeklyDays = [...PRESET_DEFAULTS.weeklyDays];
      return;
    }
    const s = loaded.schedule;
    this.#loadedSchedule = scheduleInputOf(s);
    this.name = loaded.name;
    this.key = loaded.key ?? "";
    this.reportType = loaded.reportType;
    this.parameters = $state.snapshot(loaded.parameters);
    this.format = loaded.format;
    this.compress = loaded.compress;
    this.failWhenEmpty = loaded.emptyResult === "fail";
    this.recipients = loaded.recipients.map((r) => ({ ...r }));
    this.mode = s.trigger === "event" ? "event" : s.preset ? "preset" : "cron";
    this.preset = s.preset ?? "weekly";
    // For a preset, its cron: a starting point if the user switches to cron (a trigger's is only its deadline).
    if (s.trigger !== "event") this.cron = s.cron;
    this.deadline = s.deadline;
    this.onMissedDeadline = s.onMissedDeadline ?? "run";
    this.time = s.time;
    this.minute = s.minute;
    if (s.preset === "daily") this.dailyDays = s.daysOfWeek && [...s.daysOfWeek];
    if (s.preset === "weekly") this.weeklyDays = s.daysOfWeek && [...s.daysOfWeek];
    this.dayOfMonth = s.dayOfMonth;
    this.timezone = s.timezone;
    this.catchUp = s.catchUp;
    this.startAt = s.startAt;
    this.endAt = s.endAt;
  }

  /** Picking another type starts its parameters afresh (the old ones may not fit) and keeps a format it supports. */
  chooseType(type: ReportType) {
    if (type.id === this.reportType) return;
    this.reportType = type.id;
    this.parameters = type.id === this.loaded?.reportType ? $state.snapshot(this.loaded.parameters) : {};
    if (!type.formats.includes(this.format)) this.format = type.formats[0] ?? "csv";
  }

  /** The schedule to send: the loaded one with the wizard's fields laid over it. */
  readonly schedule: ScheduleInput = $derived.by(() => {
    const loaded = this.#loadedSchedule;
    const bounds = { timezone: this.timezone, startAt: this.startAt, endAt: this.endAt };
    if (this.mode === "event") {
      // No cron or preset with a trigger (the API refuses them), and no catch-up: a triggered report
      // only ever looks at its latest deadline. A report that was triggered keeps what it had.
      const base = loaded?.trigger === "event" ? loaded : undefined;
      return withoutUndefined({ ...base, trigger: "event" as const, deadline: this.deadline, onMissedDeadline: this.onMissedDeadline, ...bounds });
    }
    const common = { ...bounds, catchUp: this.catchUp };
    if (this.mode === "cron") {
      const base = loaded?.cron !== undefined ? loaded : undefined;
      return withoutUndefined({ ...base, cron: this.cron, ...common });
    }
    // The same preset keeps everything it had, even fields the wizard does not show; another preset
    // starts without the old preset's fields.
    const base: Partial<ScheduleInput> = { ...loaded };
    if (loaded?.preset !== this.preset) for (const key of [...PRESET_KEYS, "cron"] as const) delete base[key];
    for (const key of EVENT_KEYS) delete base[key];
    const own: Partial<ScheduleInput> =
      this.preset === "hourly"
        ? { minute: this.minute }
        : this.preset === "daily"
          ? { time: this.time, daysOfWeek: this.dailyDays }
          : this.preset === "weekly"
            ? { time: this.time, daysOfWeek: this.weeklyDays }
            : { time: this.time, dayOfMonth: this.dayOfMonth };
    return withoutUndefined({ ...base, preset: this.preset, ...own, ...common });
  });

  /** Only CSV can be compressed: another format is saved uncompressed. */
  readonly effectiveCompress = $derived(this.format === "csv" && this.compress);
  readonly emptyResult = $derived(this.failWhenEmpty ? ("fail" as const) : ("deliver" as const));
  readonly keyValue = $derived(this.key.trim() || null);
  readonly filledRecipients: Recipient[] = $derived(this.recipients.filter((r) => r.value).map((r) => ({ ...r })));

  /** The top-level fields that differ from the loaded report (a changed schedule is sent whole). */
  readonly changes: UpdateScheduledReport = $derived.by(() => {
    const loaded = this.loaded;
    if (!loaded) return {};
    const out: UpdateScheduledReport = {};
    if (this.name.trim() !== loaded.name) out.name = this.name;
    if (this.reportType !== loaded.reportType) out.reportType = this.reportType;
    if (!sameData(this.parameters, loaded.parameters)) out.parameters = $state.snapshot(this.parameters);
    if (this.format !== loaded.format) out.format = this.format;
    if (this.effectiveCompress !== loaded.compress) out.compress = this.effectiveCompress;
    if (this.emptyResult !== loaded.emptyResult) out.emptyResult = this.emptyResult;
    if (!sameData(this.schedule, this.#loadedSchedule)) out.schedule = $state.snapshot(this.schedule);
    if (!sameData(this.filledRecipients, loaded.recipients)) out.recipients = this.filledRecipients;
    if (this.keyValue !== loaded.key) out.key = this.keyValue;
    if (!sameData(this.delivery.deliverWhen, loaded.deliverWhen)) out.deliverWhen = $state.snapshot(this.delivery.deliverWhen);
    return out;
  });

  /** The whole report, for creating it. */
  createBody(): CreateScheduledReport {
    return {
      name: this.name,
      reportType: this.reportType,
      parameters: $state.snapshot(this.parameters),
      format: this.format,
      compress: this.effectiveCompress,
      emptyResult: this.emptyResult,
      schedule: $state.snapshot(this.schedule),
      recipients: this.filledRecipients,
      ...(this.keyValue ? { key: this.keyValue } : {}),
      deliverWhen: $state.snapshot(this.delivery.deliverWhen),
    };
  }
}
