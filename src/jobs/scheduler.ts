import { schedulerHeartbeat } from "../durable-objects/scheduler-heartbeat";
import { log } from "../lib/log";
import { evaluateAlerts } from "../services/alerts/evaluate";
import { enqueueDueRuns } from "../services/executions/enqueue-due";
import { runWatchdog } from "../services/executions/watchdog";
import { applyRetention, isRetentionTick } from "../services/retention/apply-retention";

/** The cron handler, every minute. "Now" is the event's scheduledTime, never the wall clock. */
export async function runSchedulerTick(controller: ScheduledController, env: Env) {
  const now = new Date(controller.scheduledTime);
  const started = Date.now();
  await schedulerHeartbeat(env).beat();
  const due = await enqueueDueRuns(env, now);
  const watchdog = await runWatchdog(env, now);
  if (isRetentionTick(now)) await applyRetention(env, now);
  const alerts = await evaluateAlerts(env, now);
  log("info", "scheduler tick", { scheduledTime: now.toISOString(), cron: controller.cron, ...due, ...watchdog, alertsFired: alerts.length, durationMs: Date.now() - started });
}
