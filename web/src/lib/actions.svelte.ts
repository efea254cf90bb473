import { ApiError } from "./api.ts";

/** The API's message and its per-field details, or `fallback` for anything that is not an API error. */
export function describeError(e: unknown, fallback: string): string {
  if (!(e instanceof ApiError)) return fallback;
  const details = Object.entries(e.fieldErrors()).map(([path, message]) => `${path}: ${message}`);
  return details.length ? `${e.message} (${details.join("; ")})` : e.message;
}

/**
 * A page's buttons that change something: `run` does the work, says what happened (or what went
 * wrong) and reloads the page's data. One per page; read `notice` and `error` in the markup.
 */
export class Actions {
  notice = $state("");
  error = $state("");
  readonly #reload: () => Promise<unknown>;

  constructor(reload: () => Promise<unknown>) {
    this.#reload = reload;
  }

  run = async (done: string, work: () => Promise<unknown>) => {
    this.notice = "";
    this.error = "";
    try {
      await work();
      this.notice = done;
      await this.#reload();
    } catch (e) {
      this.error = describeError(e, "That did not work");
    }
  };
}
