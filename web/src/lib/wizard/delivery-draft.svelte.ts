// The report's delivery condition as the wizard edits it: one field per control. Switching modes keeps
// the threshold's fields, and an untouched condition comes out exactly as it was loaded.
import type { DeliverWhen } from "../api.ts";
import type { DeliverMode, ThresholdOperator } from "../delivery/deliver-when.ts";

export class DeliveryDraft {
  readonly #loaded: DeliverWhen | undefined;

  mode = $state<DeliverMode>("always");
  /** Keep the file of a run that delivers nothing (the API's default is true). */
  keepFile = $state(true);
  column = $state("");
  operator = $state<ThresholdOperator>(">");
  threshold = $state<number | string>("");

  constructor(loaded?: DeliverWhen) {
    this.#loaded = loaded && { ...loaded };
    if (!loaded) return;
    this.mode = loaded.mode;
    this.keepFile = loaded.keepFile ?? true;
    if (loaded.mode === "ifThreshold") {
      this.column = loaded.column;
      this.operator = loaded.operator;
      this.threshold = loaded.value;
    }
  }

  /** The condition to send. keepFile is left out while it is the default and was not stored. */
  readonly deliverWhen: DeliverWhen = $derived.by(() => {
    const keep = this.#loaded?.keepFile !== undefined || !this.keepFile ? { keepFile: this.keepFile } : {};
    if (this.mode !== "ifThreshold") return { mode: this.mode, ...keep };
    return { mode: this.mode, column: this.column.trim(), operator: this.operator, value: this.threshold, ...keep };
  });
}

/**
 * The threshold typed into an input: a number for a numeric column, text for another; when the
 * column's type is not known, what reads as a number is sent as one.
 */
export function thresholdFromInput(raw: string, numeric: boolean | undefined): number | string {
  if (numeric === false) return raw;
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}
