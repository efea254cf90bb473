import { newApp } from "./app";
import { dispatchQueue } from "./jobs/queue";
import { runSchedulerTick } from "./jobs/schedule/tick";

const app = newApp();

export default {
  fetch: app.fetch,
  scheduled: (controller, env) => runSchedulerTick(controller, env),
  queue: (batch, env) => dispatchQueue(batch, env),
} satisfies ExportedHandler<Env, unknown>;

export { ReportLock } from "./durable-objects/report-lock";
export { SchedulerHeartbeat } from "./durable-objects/scheduler-heartbeat";
