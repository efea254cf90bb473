import { describe, expect, it } from "vitest";
import { type Page, PagedList } from "./paged-list.svelte.ts";

/** A fetch whose answers the test releases one by one, in any order. */
function controlled() {
  const pending: { cursor: string | undefined; resolve: (page: Page<string>) => void; reject: (e: unknown) => void }[] = [];
  const fetchPage = (cursor: string | undefined) => new Promise<Page<string>>((resolve, reject) => pending.push({ cursor, resolve, reject }));
  return { pending, fetchPage };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("PagedList", () => {
  it("shows the answer to the newest reload when an older one arrives after it", async () => {
    const { pending, fetchPage } = controlled();
    const list = new PagedList(fetchPage);
    const old = list.reload();
    const newest = list.reload();
    pending[1]?.resolve({ items: ["new"], nextCursor: null });
    expect(await newest).toBe(true);
    pending[0]?.resolve({ items: ["old"], nextCursor: "c" });
    expect(await old).toBe(false);
    expect(list.items).toEqual(["new"]);
    expect(list.nextCursor).toBeNull();
    expect(list.loading).toBe(false);
  });

  it("adds the next page below, and drops it when the filters changed while it was read", async () => {
    const { pending, fetchPage } = controlled();
    const list = new PagedList(fetchPage);
    const first = list.reload();
    pending[0]?.resolve({ items: ["a"], nextCursor: "c1" });
    await first;
    const next = list.more();
    expect(pending[1]?.cursor).toBe("c1");
    pending[1]?.resolve({ items: ["b"], nextCursor: "c2" });
    expect(await next).toBe(true);
    expect(list.items).toEqual(["a", "b"]);

    const stale = list.more();
    const filtered = list.reload();
    pending[3]?.resolve({ items: ["x"], nextCursor: null });
    await filtered;
    pending[2]?.resolve({ items: ["c"], nextCursor: "c3" });
    expect(await stale).toBe(false);
    expect(list.items).toEqual(["x"]);
    expect(list.nextCursor).toBeNull();
  });

  it("keeps the error of the current filters only, and clears it on the next reload", async () => {
    const { pending, fetchPage } = controlled();
    const list = new PagedList(fetchPage, "Could not load the reports");
    const failing = list.reload();
    pending[0]?.reject(new Error("offline"));
    await failing;
    expect(list.error).toBe("Could not load the reports");
    const again = list.reload();
    expect(list.error).toBe("");
    const older = list.reload();
    pending[1]?.reject(new Error("offline"));
    await again;
    expect(list.error).toBe("");
    pending[2]?.resolve({ items: ["ok"], nextCursor: null });
    await older;
    expect(list.items).toEqual(["ok"]);
  });

  it("applies a refresh only while no reload replaced the list", async () => {
    const { pending, fetchPage } = controlled();
    const list = new PagedList(fetchPage);
    const first = list.reload();
    pending[0]?.resolve({ items: ["a"], nextCursor: null });
    await first;
    let release: (v: string) => void = () => {};
    const refreshed = list.refresh(
      () => new Promise<string>((r) => (release = r)),
      (v) => (list.items = [v]),
    );
    void list.reload();
    release("stale");
    await refreshed;
    await settle();
    expect(list.items).toEqual(["a"]);
  });
});
