// A cursor-paged list whose filters change while its requests are in flight (the reports list, the
// audit log, the archives, a run history). Answers can come back in any order: `reload()` (the
// filters changed) drops every answer to an earlier request, and `more()` (the next page) adds to
// the list only while no reload has replaced it. Built on the `Latest` guard.
import { errorMessage } from "./api.ts";
import { Latest } from "./latest.ts";

export type Page<T> = { items: T[]; nextCursor: string | null };

export class PagedList<T> {
  items = $state<T[]>([]);
  nextCursor = $state<string | null>(null);
  /** True until the first page for the current filters has come back (or failed). */
  loading = $state(true);
  /** Why the last page for the current filters could not be read. */
  error = $state("");
  readonly #latest = new Latest();
  readonly #fetchPage: (cursor: string | undefined) => Promise<Page<T>>;
  readonly #failure: string;

  /** `fetchPage` reads the page after `cursor` with the filters as they are when it is called. */
  constructor(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, failure = "Could not load the list") {
    this.#fetchPage = fetchPage;
    this.#failure = failure;
  }

  /** The first page for the filters as they are now; answers to every earlier request are dropped. True when it was shown. */
  reload = async (): Promise<boolean> => {
    const wanted = this.#latest.replace();
    this.error = "";
    this.loading = true;
    try {
      const page = await this.#fetchPage(undefined);
      if (!wanted()) return false;
      this.items = page.items;
      this.nextCursor = page.nextCursor;
      return true;
    } catch (e) {
      if (wanted()) this.error = errorMessage(e, this.#failure);
      return false;
    } finally {
      if (wanted()) this.loading = false;
    }
  };

  /** The next page, added below, unless the filters changed meanwhile. True when it was added. */
  more = async (): Promise<boolean> => {
    const cursor = this.nextCursor;
    if (!cursor) return false;
    const wanted = this.#latest.extend();
    try {
      const page = await this.#fetchPage(cursor);
      if (!wanted()) return false;
      this.items = [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
      return true;
    } catch (e) {
      if (wanted()) this.error = errorMessage(e, this.#failure);
      return false;
    }
  };

  /**
   * Work that reads or changes the items shown (a refresh of unfinished rows): `apply` runs with its
   * answer only while no reload replaced the list meanwhile.
   */
  refresh = async <R>(work: () => Promise<R>, apply: (answer: R) => void): Promise<void> => {
    const wanted = this.#latest.extend();
    const answer = await work();
    if (wanted()) apply(answer);
  };
}
