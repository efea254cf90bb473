import { newApp } from "./app";
import { dispatchQueue } from "./jobs/queue";
import { runSchedulerTick } from "./jobs/schedule/tick";
import { instrumentHandlers } from "./lib/instrument";

const app = newApp();

// instrumentHandlers passes env through untouched unless BENCH_COUNTERS (local benchmarks) is on.
export default instrumentHandlers({
  fetch: app.fetch,
  scheduled: (controller, env) => runSchedulerTick(controller, env),
  queue: (batch, env) => dispatchQueue(batch, env),
}) satisfies ExportedHandler<Env, unknown>;

export { ReportLock } from "./durable-objects/report-lock";
export { SchedulerHeartbeat } from "./durable-objects/scheduler-heartbeat";
