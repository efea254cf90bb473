import { describe, expect, it } from "vitest";
import { confirmQueue } from "./confirm.svelte.ts";

describe("confirmQueue", () => {
  it("resolves with the answer and clears the question", async () => {
    const answer = confirmQueue.ask({ title: "Delete?", message: "Gone for good", confirmLabel: "Delete" });
    expect(confirmQueue.current?.title).toBe("Delete?");
    confirmQueue.answer(true);
    expect(await answer).toBe(true);
    expect(confirmQueue.current).toBeNull();
  });
  it("declines a question that another one replaces", async () => {
    const first = confirmQueue.ask({ title: "First", message: "", confirmLabel: "Go" });
    const second = confirmQueue.ask({ title: "Second", message: "", confirmLabel: "Go" });
    expect(await first).toBe(false);
    confirmQueue.answer(false);
    expect(await second).toBe(false);
  });
});
