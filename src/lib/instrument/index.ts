import { config } from "../../config";
import { countedBrowser, countedBucket, countedNamespace, countedQueue } from "./bindings";
import { type Counters, counters, recordQueueConsumed } from "./counters";
import { countedD1 } from "./d1";

/*
 * BENCH_COUNTERS (local benchmarks only): the Worker's handlers receive an env whose bindings count
 * their billable operations, so that a benchmark reads real counts instead of estimates. Off, the
 * handlers get the env exactly as the runtime gave it. Counted on the caller's side: a Durable Object
 * running in the same isolate sees its own env, uncounted (its requests are counted at the stub).
 */

/** Whether counting is on; a configuration that does not parse is left for the handler to report. */
function countingOn(env: Env): boolean {
  try {
    return config(env).benchCounters;
  } catch {
    return false;
  }
}

/** The env with counting bindings, the same object for the same env (config(env) is cached per object). */
const countedEnvs = new WeakMap<object, Env>();

export function countedEnv(env: Env, count: () => Counters = counters): Env {
  return {
    ...env,
    DB: countedD1(env.DB, count),
    REPORTS: countedBucket(env.REPORTS, count),
    GENERATION_QUEUE: countedQueue(env.GENERATION_QUEUE, "GENERATION_QUEUE", count),
    DELIVERY_QUEUE: countedQueue(env.DELIVERY_QUEUE, "DELIVERY_QUEUE", count),
    REPORT_LOCK: countedNamespace(env.REPORT_LOCK, "REPORT_LOCK", count),
    HEARTBEAT: countedNamespace(env.HEARTBEAT, "HEARTBEAT", count),
    BROWSER: countedBrowser(env.BROWSER, count),
  };
}

export function instrumented(env: Env): Env {
  if (!countingOn(env)) return env;
  let counted = countedEnvs.get(env);
  if (!counted) {
    counted = countedEnv(env);
    countedEnvs.set(env, counted);
  }
  return counted;
}

/** The counters' own routes are not part of what is measured. */
const isCountersRoute = (request: Request) => new URL(request.url).pathname.startsWith("/api/dev/counters");

type Handlers = {
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response>;
  scheduled(controller: ScheduledController, env: Env): Promise<void>;
  queue(batch: MessageBatch<unknown>, env: Env): Promise<void>;
};

/** The Worker's handlers, each given the instrumented env and counted as one invocation when counting is on. */
export function instrumentHandlers(handlers: Handlers): Handlers {
  return {
    fetch: (request, env, ctx) => {
      const e = instrumented(env);
      if (e !== env && !isCountersRoute(request)) counters().invocations.fetch++;
      return handlers.fetch(request, e, ctx);
    },
    scheduled: async (controller, env) => {
      const e = instrumented(env);
      if (e === env) return handlers.scheduled(controller, env);
      const started = Date.now();
      counters().invocations.scheduled++;
      try {
        await handlers.scheduled(controller, e);
      } finally {
        counters().invocations.scheduledWallMs += Date.now() - started;
      }
    },
    queue: async (batch, env) => {
      const e = instrumented(env);
      if (e === env) return handlers.queue(batch, env);
      counters().invocations.queue++;
      const observed = observedBatch(batch);
      const started = Date.now();
      try {
        await handlers.queue(observed.batch, e);
      } finally {
        recordQueueConsumed(counters(), batch.queue, { messages: batch.messages.length, retried: observed.retried(), wallMs: Date.now() - started });
      }
    },
  };
}

/** The batch as the consumer sees it, noting which messages it asks to retry (each retry reads again). */
function observedBatch(batch: MessageBatch<unknown>) {
  const retried = new Set<string>();
  let all = false;
  const messages = batch.messages.map(
    (m) =>
      new Proxy(m, {
        get(t, prop) {
          const value = Reflect.get(t, prop) as unknown;
          if (typeof value !== "function") return value;
          if (prop === "retry") {
            return (...args: Parameters<Message["retry"]>) => {
              retried.add(t.id);
              t.retry(...args);
            };
          }
          return (...args: unknown[]) => Reflect.apply(value as (...a: unknown[]) => unknown, t, args);
        },
      }),
  );
  const observed: MessageBatch<unknown> = {
    queue: batch.queue,
    // Read when asked: a batch handed over without metrics still works.
    get metadata() {
      return batch.metadata;
    },
    messages,
    ackAll: () => batch.ackAll(),
    retryAll: (options) => {
      all = true;
      batch.retryAll(options);
    },
  };
  return { batch: observed, retried: () => (all ? batch.messages.length : retried.size) };
}
