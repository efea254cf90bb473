// "“Weekly sales” is running now" for as long as the run started by Run now is running, then what
// it came to ("completed: 1,204 rows", or why it failed). A toast on a timer would outlive a quick
// run, or vanish before a slow one ended.
import { call, type Execution, getExecutionsById } from "./api.ts";
import { isUnfinished } from "./executions.ts";
import { plural } from "./format.ts";
import { DEFAULT_BACKOFF, nextDelay } from "./poll.ts";
import { toasts } from "./ui/toasts.svelte.ts";

/** How long the toast follows a run before it says to look at the history instead. */
const FOLLOW_MS = 10 * 60_000;

/** What a finished run came to, in one sentence. */
export function describeOutcome(
  name: string,
  e: Pick<Execution, "status" | "rowCount" | "errorMessage" | "deliverySkipped">,
): { kind: "success" | "info" | "error"; message: string } {
  if (e.status === "completed") {
    const rows = e.rowCount == null ? "" : `: ${plural(e.rowCount, "row")}`;
    return { kind: "success", message: `“${name}” completed${rows}${e.deliverySkipped ? ", not delivered" : ""}` };
  }
  if (e.status === "failed") return { kind: "error", message: `“${name}” failed${e.errorMessage ? `: ${e.errorMessage}` : ""}` };
  return { kind: "info", message: `“${name}” ${e.status}` };
}

/** Shows the progress toast of a run and replaces it with its outcome when it ends. */
export async function followRun(name: string, executionId: string): Promise<void> {
  const running = toasts.progress(`“${name}” is running now`);
  const until = Date.now() + FOLLOW_MS;
  let delay = DEFAULT_BACKOFF.first;
  try {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      const execution = await call(getExecutionsById({ path: { id: executionId } }));
      if (!isUnfinished(execution)) {
        toasts.dismiss(running);
        const outcome = describeOutcome(name, execution);
        toasts.show(outcome.kind, outcome.message);
        return;
      }
      if (Date.now() > until) break;
      delay = nextDelay(delay, { ...DEFAULT_BACKOFF, max: 5000 });
    }
    toasts.dismiss(running);
    toasts.info(`“${name}” is still running: its history shows when it ends`);
  } catch {
    toasts.dismiss(running);
    toasts.info(`“${name}” started: its history shows when it ends`);
  }
}
