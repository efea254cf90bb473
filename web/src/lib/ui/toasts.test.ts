import { describe, expect, it } from "vitest";
import { MAX_TOASTS, type ToastClock, Toasts } from "./toasts.svelte.ts";

/** A clock moved by hand: `advance(ms)` runs the timers that fall due, in order. */
function manualClock() {
  let now = 0;
  let nextHandle = 1;
  const timers = new Map<number, { at: number; run: () => void }>();
  const clock: ToastClock = {
    setTimeout: (run, ms) => {
      const handle = nextHandle++;
      timers.set(handle, { at: now + ms, run });
      return handle;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
    now: () => now,
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= until).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].run();
    }
    now = until;
  };
  return { clock, advance, pending: () => timers.size };
}

const messages = (t: Toasts) => t.items.map((i) => `${i.kind}: ${i.message}`);

describe("Toasts", () => {
  it("shows a success and lets it go after its time", () => {
    const { clock, advance } = manualClock();
    const toasts = new Toasts(clock, 5000);
    toasts.success("Saved");
    expect(messages(toasts)).toEqual(["success: Saved"]);
    advance(4999);
    expect(messages(toasts)).toEqual(["success: Saved"]);
    advance(1);
    expect(toasts.items).toEqual([]);
  });

  it("keeps an error until it is dismissed", () => {
    const { clock, advance, pending } = manualClock();
    const toasts = new Toasts(clock, 5000);
    const id = toasts.error("The report was not found");
    expect(pending()).toBe(0);
    advance(60_000);
    expect(messages(toasts)).toEqual(["error: The report was not found"]);
    toasts.dismiss(id);
    expect(toasts.items).toEqual([]);
  });

  it("stops every timer while paused and runs on with the time that was left", () => {
    const { clock, advance } = manualClock();
    const toasts = new Toasts(clock, 5000);
    toasts.success("First");
    advance(3000);
    toasts.pause();
    toasts.info("Second, shown while paused");
    advance(60_000);
    expect(messages(toasts)).toEqual(["success: First", "info: Second, shown while paused"]);
    toasts.resume();
    advance(1999);
    expect(messages(toasts)).toEqual(["success: First", "info: Second, shown while paused"]);
    advance(1);
    expect(messages(toasts)).toEqual(["info: Second, shown while paused"]);
    advance(3000);
    expect(toasts.items).toEqual([]);
  });

  it("dismissing a toast cancels its timer, and dismissing twice does nothing more", () => {
    const { clock, advance, pending } = manualClock();
    const toasts = new Toasts(clock, 5000);
    const first = toasts.success("First");
    toasts.success("Second");
    toasts.dismiss(first);
    toasts.dismiss(first);
    expect(pending()).toBe(1);
    expect(messages(toasts)).toEqual(["success: Second"]);
    advance(5000);
    expect(toasts.items).toEqual([]);
  });

  it("shows the same message once, newest last, with its time started again", () => {
    const { clock, advance } = manualClock();
    const toasts = new Toasts(clock, 5000);
    toasts.success("Running now");
    toasts.error("Not allowed");
    advance(4000);
    toasts.success("Running now");
    expect(messages(toasts)).toEqual(["error: Not allowed", "success: Running now"]);
    advance(4999);
    expect(messages(toasts)).toEqual(["error: Not allowed", "success: Running now"]);
  });

  it("keeps at most MAX_TOASTS, pushing the oldest out", () => {
    const { clock, pending } = manualClock();
    const toasts = new Toasts(clock, 5000);
    for (let i = 1; i <= MAX_TOASTS + 2; i++) toasts.success(`Toast ${i}`);
    expect(toasts.items.map((t) => t.message)).toEqual(Array.from({ length: MAX_TOASTS }, (_, i) => `Toast ${i + 3}`));
    expect(pending()).toBe(MAX_TOASTS);
  });

  it("clear removes every toast and its timer", () => {
    const { clock, pending } = manualClock();
    const toasts = new Toasts(clock, 5000);
    toasts.success("One");
    toasts.error("Two");
    toasts.clear();
    expect(toasts.items).toEqual([]);
    expect(pending()).toBe(0);
  });

  it("keeps a progress toast until it is dismissed, however long that takes", () => {
    const { clock, advance } = manualClock();
    const toasts = new Toasts(clock, 5000);
    const running = toasts.progress("“Sales” is running now");
    advance(60_000);
    expect(messages(toasts)).toEqual(["info: “Sales” is running now"]);
    toasts.dismiss(running);
    toasts.success("“Sales” completed");
    expect(messages(toasts)).toEqual(["success: “Sales” completed"]);
    advance(5000);
    expect(messages(toasts)).toEqual([]);
  });
});
