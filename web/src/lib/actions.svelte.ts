import { ApiError } from "./api.ts";
import { toasts } from "./ui/toasts.svelte.ts";

/** The API's message and its per-field details, or `fallback` for anything that is not an API error. */
export function describeError(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  const details = Object.entries(e.fieldErrors()).map(([path, message]) => `${path}: ${message}`);
  return details.length ? `${e.message} (${details.join("; ")})` : e.message;
}

/**
 * A page's buttons that change something: `run` does the work, says in a toast what happened (or
 * the API's message when it did not work), and reloads the page's data. `done` null: the outcome
 * shows on the page itself, and only a failure gets a toast. True when the work was done.
 */
export class Actions {
  readonly #reload: () => Promise<unknown>;

  constructor(reload: () => Promise<unknown>) {
    this.#reload = reload;
  }

  run = async (done: string | null, work: () => Promise<unknown>): Promise<boolean> => {
    try {
      await work();
    } catch (e) {
      toasts.error(describeError(e, "That did not work"));
      return false;
    }
    if (done) toasts.success(done);
    try {
      await this.#reload();
    } catch (e) {
      toasts.error(describeError(e, "Could not load the page again"));
    }
    return true;
  };
}
