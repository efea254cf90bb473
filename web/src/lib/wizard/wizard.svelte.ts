// The wizard's state, shared by its steps: the report being edited (the draft) and what the steps
// show about it (report types, the next runs, errors from the API).
import {
  ApiError,
  call,
  errorMessage,
  type PostSchedulesPreviewResponse,
  patchScheduledReportsById,
  postScheduledReports,
  postSchedulesPreview,
  type ReportType,
} from "../api.ts";
import type { ReportDraft } from "./draft.svelte.ts";

export const STEPS = ["Report type", "Parameters", "Format", "Schedule", "Recipients", "Review"] as const;

export class Wizard {
  readonly draft: ReportDraft;
  step = $state(0);
  /** The report types the organization may use. */
  types = $state<ReportType[]>([]);
  /** The next runs of the draft's schedule, on the steps that show them. */
  runs = $state<PostSchedulesPreviewResponse | null>(null);
  /** Messages from the API keyed by field path ("name", "schedule", "recipients.0.value", ...). */
  errors = $state<Record<string, string>>({});
  /** Why the last save failed. */
  error = $state("");

  readonly type = $derived.by(() => this.types.find((t) => t.id === this.draft.reportType));
  readonly editing = $derived.by(() => this.draft.loaded !== undefined);
  readonly canContinue = $derived.by(() => this.draft.reportType !== "" && this.draft.name.trim() !== "");

  constructor(draft: ReportDraft) {
    this.draft = draft;
  }

  #previews = 0;

  /** Fetches the next runs of the schedule as it stands (or says why it is not valid); a later call wins. */
  async previewRuns() {
    const seq = ++this.#previews;
    const request = call(postSchedulesPreview({ body: { schedule: $state.snapshot(this.draft.schedule), count: 5 } }));
    try {
      const runs = await request;
      if (seq !== this.#previews) return;
      this.runs = runs;
      delete this.errors.schedule;
    } catch (e) {
      if (seq !== this.#previews) return;
      this.runs = null;
      this.errors.schedule = e instanceof ApiError ? (Object.values(e.fieldErrors())[0] ?? e.message) : "Invalid schedule";
    }
  }

  /**
   * Creates the report, or saves the fields that changed (nothing is sent when nothing changed).
   * Returns the report's id, or null when the API refused (see `error` and `errors`).
   */
  async save(): Promise<string | null> {
    this.error = "";
    const loaded = this.draft.loaded;
    try {
      if (!loaded) return (await call(postScheduledReports({ body: this.draft.createBody() }))).id;
      const changes = $state.snapshot(this.draft.changes);
      if (!Object.keys(changes).length) return loaded.id;
      return (await call(patchScheduledReportsById({ path: { id: loaded.id }, body: changes }))).id;
    } catch (e) {
      this.error = errorMessage(e, "Could not save");
      if (e instanceof ApiError) this.errors = e.fieldErrors();
      return null;
    }
  }
}
