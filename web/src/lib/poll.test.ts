import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { nextDelay, Poller, type Visibility } from "./poll.ts";

function fakeVisibility() {
  let hidden = false;
  let listener = () => {};
  const visibility: Visibility = {
    hidden: () => hidden,
    onChange: (l) => {
      listener = l;
      return () => (listener = () => {});
    },
  };
  const set = (h: boolean) => {
    hidden = h;
    listener();
  };
  return { visibility, set };
}

const backoff = { first: 1000, factor: 2, max: 5000 };

describe("Poller", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("waits longer after each tick, up to the maximum", () => {
    expect([1000, 2000, 4000, 5000].map((d) => nextDelay(d, backoff))).toEqual([2000, 4000, 5000, 5000]);
  });

  it("ticks with backoff while active, stops when nothing is left to wait for", async () => {
    let pending = 3;
    const tick = vi.fn(async () => void pending--);
    const poller = new Poller(tick, () => pending > 0, backoff, fakeVisibility().visibility);
    poller.kick();
    await vi.advanceTimersByTimeAsync(999);
    expect(tick).toHaveBeenCalledTimes(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(tick).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4000);
    expect(tick).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tick).toHaveBeenCalledTimes(3);
    poller.stop();
  });

  it("asks nothing while the tab is hidden, at once when it is shown, then backing off again", async () => {
    const tick = vi.fn(async () => {});
    const { visibility, set } = fakeVisibility();
    const poller = new Poller(tick, () => true, backoff, visibility);
    poller.kick();
    await vi.advanceTimersByTimeAsync(3000);
    expect(tick).toHaveBeenCalledTimes(2);
    set(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tick).toHaveBeenCalledTimes(2);
    set(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(tick).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1999);
    expect(tick).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(tick).toHaveBeenCalledTimes(4);
    poller.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(tick).toHaveBeenCalledTimes(4);
  });

  it("keeps trying after a failed tick", async () => {
    const tick = vi.fn(async () => {
      throw new Error("offline");
    });
    const poller = new Poller(tick, () => true, backoff, fakeVisibility().visibility);
    poller.kick();
    await vi.advanceTimersByTimeAsync(3000);
    expect(tick).toHaveBeenCalledTimes(2);
    poller.stop();
  });
});
