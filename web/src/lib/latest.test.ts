import { describe, expect, it } from "vitest";
import { Latest } from "./latest.ts";

describe("Latest", () => {
  it("keeps only the answer to the last replacing request, whatever order the answers come in", () => {
    const latest = new Latest();
    const first = latest.replace();
    const second = latest.replace();
    expect(second()).toBe(true);
    expect(first()).toBe(false);
  });

  it("keeps an extending request until the next replacing one", () => {
    const latest = new Latest();
    latest.replace();
    const nextPage = latest.extend();
    const refresh = latest.extend();
    expect([nextPage(), refresh()]).toEqual([true, true]);
    latest.replace();
    expect([nextPage(), refresh()]).toEqual([false, false]);
  });
});
