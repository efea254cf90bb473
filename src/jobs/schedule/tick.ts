import { config } from "../../config";
import { schedulerHeartbeat } from "../../durable-objects/scheduler-heartbeat";
import { errorMessage } from "../../errors";
import { log } from "../../lib/log";
import { evaluateAlerts } from "../alerts/evaluate";
import { runRetention } from "../retention/apply-retention";
import { runWatchdog } from "../watchdog/watchdog";
import { enqueueDueRuns } from "./enqueue-due";

/** Runs one step of the tick; a failing step is logged and the others still run. */
async function runStep<T>(name: string, work: () => Promise<T>): Promise<T | { failed: string }> {
  try {
    return await work();
  } catch (err) {
    log("error", "scheduler step failed", { step: name, error: errorMessage(err), stack: err instanceof Error ? err.stack : undefined });
    return { failed: name };
  }
}

/**
 * The cron handler, every minute: heartbeat, due runs, watchdog, retention (daily), alert rules.
 * "Now" is the event's scheduledTime, never the wall clock. Each step stands alone, so a failing
 * one (say, the alert rules) never keeps due reports from starting.
 */
export async function runSchedulerTick(controller: ScheduledController, env: Env) {
  config(env); // a bad configuration fails loudly here, naming the variable, before any step runs
  const now = new Date(controller.scheduledTime);
  const started = Date.now();
  const heartbeat = await runStep("heartbeat", () => schedulerHeartbeat(env).beat());
  const due = await runStep("enqueue due runs", () => enqueueDueRuns(env, now));
  const watchdog = await runStep("watchdog", () => runWatchdog(env, now));
  const retention = await runStep("retention", () => runRetention(env, now));
  const alerts = await runStep("alert rules", () => evaluateAlerts(env, now));
  const failed = [heartbeat, due, watchdog, retention, alerts].flatMap((r) => (r && typeof r === "object" && "failed" in r ? [r.failed] : []));
  log(failed.length ? "error" : "info", "scheduler tick", {
    scheduledTime: now.toISOString(),
    cron: controller.cron,
    ...(due && !("failed" in due) ? due : {}),
    ...(watchdog && !("failed" in watchdog) ? watchdog : {}),
    alertsFired: Array.isArray(alerts) ? alerts.length : 0,
    failedSteps: failed,
    durationMs: Date.now() - started,
  });
  if (failed.length) throw new Error(`Scheduler steps failed: ${failed.join(", ")}`);
}
