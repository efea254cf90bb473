import type { Counters } from "./counters";

/*
 * Counting proxies for the other bindings, each counting what Cloudflare bills: queue writes (one
 * operation per 64 KB of message, about 100 bytes of metadata included), R2 operations by class, and
 * Durable Object requests (every stub method call or fetch is one). Everything else passes through.
 */

type AnyFunction = (...args: unknown[]) => unknown;

/** A proxy whose listed methods call `before(name, args)` first; other members are the target's own. */
function observe<T extends object>(target: T, methods: Record<string, (args: unknown[]) => void>): T {
  return new Proxy(target, {
    get(t, prop) {
      const value = Reflect.get(t, prop) as unknown;
      if (typeof value !== "function") return value;
      const before = typeof prop === "string" ? methods[prop] : undefined;
      return (...args: unknown[]) => {
        before?.(args);
        return Reflect.apply(value as AnyFunction, t, args);
      };
    },
  });
}

const QUEUE_OPERATION_BYTES = 64_000;
const QUEUE_METADATA_BYTES = 100;
const operationsOf = (body: unknown) => Math.max(1, Math.ceil((JSON.stringify(body ?? null).length + QUEUE_METADATA_BYTES) / QUEUE_OPERATION_BYTES));

export function countedQueue<T extends object>(queue: T, name: string, count: () => Counters): T {
  const sent = () => {
    const queues = count().queuesSent;
    queues[name] ??= { send: 0, sendBatch: 0, messages: 0, operations: 0 };
    return queues[name];
  };
  return observe(queue, {
    send: ([body]) => {
      const q = sent();
      q.send++;
      q.messages++;
      q.operations += operationsOf(body);
    },
    sendBatch: ([messages]) => {
      const q = sent();
      const list = (messages ?? []) as { body: unknown }[];
      q.sendBatch++;
      q.messages += list.length;
      q.operations += list.reduce((n, m) => n + operationsOf(m.body), 0);
    },
  });
}

/** Cloudflare's R2 classes: https://developers.cloudflare.com/r2/pricing/ (Class A, Class B, free). */
const R2_CLASS = {
  put: "classA",
  list: "classA",
  createMultipartUpload: "classA",
  uploadPart: "classA",
  complete: "classA",
  head: "classB",
  get: "classB",
  delete: "free",
  abort: "free",
} as const;

function r2Counter(operation: keyof typeof R2_CLASS, count: () => Counters) {
  return () => {
    const r2 = count().r2;
    r2[R2_CLASS[operation]]++;
    r2.byOperation[operation] = (r2.byOperation[operation] ?? 0) + 1;
  };
}

function countedUpload<T extends object>(upload: T, count: () => Counters): T {
  return observe(upload, {
    uploadPart: r2Counter("uploadPart", count),
    complete: r2Counter("complete", count),
    abort: r2Counter("abort", count),
  });
}

export function countedBucket(bucket: R2Bucket, count: () => Counters): R2Bucket {
  const counted = observe(bucket, {
    put: r2Counter("put", count),
    list: r2Counter("list", count),
    head: r2Counter("head", count),
    get: r2Counter("get", count),
    delete: r2Counter("delete", count),
  });
  // Uploads are objects of their own: their parts and completion are counted too (resuming one is local).
  return new Proxy(counted, {
    get(t, prop) {
      if (prop === "createMultipartUpload") {
        return async (...args: Parameters<R2Bucket["createMultipartUpload"]>) => {
          r2Counter("createMultipartUpload", count)();
          return countedUpload(await bucket.createMultipartUpload(...args), count);
        };
      }
      if (prop === "resumeMultipartUpload") {
        return (...args: Parameters<R2Bucket["resumeMultipartUpload"]>) => countedUpload(bucket.resumeMultipartUpload(...args), count);
      }
      return Reflect.get(t, prop);
    },
  });
}

/** A stub whose every method call (RPC) or fetch is counted as one request to its namespace. */
function countedStub<T extends object>(stub: T, name: string, count: () => Counters): T {
  return new Proxy(stub, {
    get(t, prop) {
      const value = Reflect.get(t, prop) as unknown;
      if (typeof value !== "function" || typeof prop !== "string" || prop === "then") return value;
      return (...args: unknown[]) => {
        const namespaces = count().durableObjects;
        namespaces[name] ??= { requests: 0, byMethod: {} };
        const ns = namespaces[name];
        ns.requests++;
        ns.byMethod[prop] = (ns.byMethod[prop] ?? 0) + 1;
        // Reflect.apply: an RPC method's own `apply` would be a remote call named "apply".
        return Reflect.apply(value as AnyFunction, t, args);
      };
    },
  });
}

export function countedNamespace<T extends DurableObjectNamespace>(namespace: T, name: string, count: () => Counters): T {
  return new Proxy(namespace, {
    get(t, prop) {
      const value = Reflect.get(t, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) => countedStub(Reflect.apply(value as AnyFunction, t, args) as object, name, count);
      }
      return (...args: unknown[]) => Reflect.apply(value as AnyFunction, t, args);
    },
  });
}

export function countedBrowser<T extends object>(browser: T, count: () => Counters): T {
  return observe(browser, {
    fetch: () => {
      count().browser.requests++;
    },
  });
}
