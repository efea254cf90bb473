// One stack of toasts for the whole dashboard (Toaster.svelte, mounted by the layout): what an
// action did ("Deleted “Weekly sales”"), or why it did not (the API envelope's message). A success
// goes by itself after a few seconds, but never while the pointer or the keyboard focus is on the
// stack; an error stays until it is dismissed, since a message that vanishes may never be read. A
// progress toast says what is under way and goes when that ends, not on a timer.

export type ToastKind = "success" | "info" | "error";

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

/** The timers the store uses; tests pass fake ones. */
export interface ToastClock {
  setTimeout: (run: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
  now: () => number;
}

const realClock: ToastClock = {
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

/** How long a success or an info toast stays, unpaused. */
export const TOAST_MS = 6000;
/** At most this many at once: a new one pushes the oldest out. */
export const MAX_TOASTS = 4;

interface Timer {
  /** Time left when the timer last stopped (or was first set). */
  remaining: number;
  /** While running: when it was started, and its handle. */
  started?: number;
  handle?: unknown;
}

export class Toasts {
  items = $state<Toast[]>([]);
  /** Whether the pointer or the focus is on the stack: no toast goes meanwhile. */
  paused = $state(false);
  readonly #clock: ToastClock;
  readonly #duration: number;
  readonly #timers = new Map<number, Timer>();
  #next = 1;

  constructor(clock: ToastClock = realClock, duration = TOAST_MS) {
    this.#clock = clock;
    this.#duration = duration;
  }

  /** Shows a toast; the same message again replaces the one shown (a double click shows one). Returns its id. */
  show = (kind: ToastKind, message: string, sticky = false): number => {
    for (const same of this.items.filter((t) => t.kind === kind && t.message === message)) this.dismiss(same.id);
    const toast = { id: this.#next++, kind, message };
    this.items = [...this.items, toast];
    for (const old of this.items.slice(0, Math.max(0, this.items.length - MAX_TOASTS))) this.dismiss(old.id);
    if (kind !== "error" && !sticky) {
      this.#timers.set(toast.id, { remaining: this.#duration });
      if (!this.paused) this.#start(toast.id);
    }
    return toast.id;
  };

  success = (message: string) => this.show("success", message);
  info = (message: string) => this.show("info", message);
  error = (message: string) => this.show("error", message);
  /** Something under way ("… is running now"): it stays until whoever showed it dismisses it when the work ends. */
  progress = (message: string) => this.show("info", message, true);

  dismiss = (id: number) => {
    const timer = this.#timers.get(id);
    if (timer?.handle !== undefined) this.#clock.clearTimeout(timer.handle);
    this.#timers.delete(id);
    this.items = this.items.filter((t) => t.id !== id);
  };

  /** Stops every timer where it is (pointer over the stack, or focus in it). */
  pause = () => {
    if (this.paused) return;
    this.paused = true;
    const now = this.#clock.now();
    for (const timer of this.#timers.values()) {
      if (timer.handle === undefined || timer.started === undefined) continue;
      this.#clock.clearTimeout(timer.handle);
      timer.remaining = Math.max(0, timer.remaining - (now - timer.started));
      timer.handle = undefined;
      timer.started = undefined;
    }
  };

  /** Lets the timers run on from where they stopped. */
  resume = () => {
    if (!this.paused) return;
    this.paused = false;
    for (const id of this.#timers.keys()) this.#start(id);
  };

  clear = () => {
    for (const { id } of this.items) this.dismiss(id);
  };

  #start(id: number) {
    const timer = this.#timers.get(id);
    if (!timer || timer.handle !== undefined) return;
    timer.started = this.#clock.now();
    timer.handle = this.#clock.setTimeout(() => this.dismiss(id), timer.remaining);
  }
}

export const toasts = new Toasts();
