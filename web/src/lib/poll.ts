// Polling for things that change by themselves (a run going from pending to completed): soon at
// first, then less and less often, never while the tab is hidden (a hidden tab asks nothing; it
// asks again as soon as it is shown), and only while `active()` says there is something to wait for.

export interface Visibility {
  hidden(): boolean;
  /** Calls `listener` when the page is hidden or shown; returns the unsubscribe function. */
  onChange(listener: () => void): () => void;
}

export const documentVisibility: Visibility = {
  hidden: () => document.visibilityState === "hidden",
  onChange: (listener) => {
    document.addEventListener("visibilitychange", listener);
    return () => document.removeEventListener("visibilitychange", listener);
  },
};

export interface Backoff {
  /** The first wait, in ms. */
  first: number;
  /** Each wait is the previous one times this. */
  factor: number;
  /** The longest wait, in ms. */
  max: number;
}

export const DEFAULT_BACKOFF: Backoff = { first: 1000, factor: 1.5, max: 15_000 };

export const nextDelay = (previous: number, backoff: Backoff) => Math.min(backoff.max, Math.round(previous * backoff.factor));

export class Poller {
  #delay: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;
  #unsubscribe: () => void;

  constructor(
    private readonly tick: () => Promise<unknown>,
    private readonly active: () => boolean,
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
    private readonly visibility: Visibility = documentVisibility,
  ) {
    this.#delay = backoff.first;
    // Shown again: ask at once (what was missed while hidden), then wait as after a kick.
    this.#unsubscribe = visibility.onChange(() => {
      if (visibility.hidden()) return this.#clear();
      this.#delay = backoff.first;
      this.#schedule(0);
    });
  }

  /** Starts again from the shortest wait: after the user did something (Run now), or new data. */
  kick = () => {
    this.#delay = this.backoff.first;
    this.#schedule();
  };

  stop = () => {
    this.#stopped = true;
    this.#clear();
    this.#unsubscribe();
  };

  #clear() {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delay = this.#delay) {
    this.#clear();
    if (this.#stopped || this.visibility.hidden() || !this.active()) return;
    this.#timer = setTimeout(this.#run, delay);
  }

  #run = async () => {
    this.#timer = undefined;
    const waited = this.#delay;
    try {
      await this.tick();
    } catch {
      // A failed refresh is tried again after the next, longer wait.
    }
    this.#delay = nextDelay(waited, this.backoff);
    this.#schedule();
  };
}
