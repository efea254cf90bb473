// Shared by the history lists (all runs, one report's runs): their filters and the live refresh
// of runs that have not finished yet.
import { call, type Execution, type GetExecutionsData, type GetExecutionsResponse, getExecutionsById } from "./api.ts";

/** The list's query: the two list endpoints take the same one. */
export type ExecutionQuery = NonNullable<GetExecutionsData["query"]>;
export type ExecutionPage = GetExecutionsResponse;
export type ExecutionStatusFilter = NonNullable<ExecutionQuery["status"]>;
export const EXECUTION_STATUSES: readonly ExecutionStatusFilter[] = ["pending", "running", "completed", "failed", "skipped", "cancelled"];

/** What started a run, in words: a data-ready trigger says so rather than "event". */
export const describeTrigger = (trigger: string) => (trigger === "event" ? "data-ready trigger" : trigger);

/** Runs that can be tried again: those that did not finish well. */
export const isRetryable = (e: Pick<Execution, "status">) => e.status === "failed" || e.status === "skipped" || e.status === "cancelled";

/** The runs of `page` not in `list` yet (started since it was loaded), newest first, before it. */
export function withNewRuns(list: readonly Execution[], page: readonly Execution[]): Execution[] {
  const known = new Set(list.map((e) => e.id));
  const added = page.filter((e) => !known.has(e.id));
  return added.length ? [...added, ...list] : [...list];
}

export const isUnfinished = (e: Pick<Execution, "status">) => e.status === "pending" || e.status === "running";

/** The runs of `list` that have not finished, read again one by one. */
export async function fetchUnfinished(list: readonly Execution[]): Promise<Map<string, Execution>> {
  const fresh = await Promise.all(list.filter(isUnfinished).map((e) => call(getExecutionsById({ path: { id: e.id } }))));
  return new Map(fresh.map((e) => [e.id, e]));
}

/** `list` with the runs read again put in place (a list loaded meanwhile keeps its own rows). */
export const mergeFresh = (list: readonly Execution[], fresh: Map<string, Execution>): Execution[] => list.map((e) => fresh.get(e.id) ?? e);
