// A stand-in for the Cloudflare API on 127.0.0.1, for testing the provisioning and deploy scripts
// with the real wrangler (which honours CLOUDFLARE_API_BASE_URL). It answers the few endpoints those
// scripts use, keeps what they create in memory, and records every request (method, path, JSON
// body) so that a test can assert what was asked of the account. Anything else is a 404 in the API's
// error envelope, recorded as unknown. Plain Node, no dependencies; `node test/support/fake-cloudflare-api.mjs`
// runs it on its own (port from PORT, default 8790) for following the README by hand.
import { randomUUID } from "node:crypto";
import http from "node:http";

const ok = (result, extra = {}) => ({ success: true, errors: [], messages: [], result, ...extra });
const fail = (code, message) => ({ success: false, errors: [{ code, message }], messages: [], result: null });
const hex32 = () => randomUUID().replaceAll("-", "");

export async function startFakeCloudflareApi({ port = 0 } = {}) {
  const requests = [];
  const state = { d1: new Map(), buckets: new Set(), queues: new Map(), hyperdrives: new Map(), secrets: new Map(), scripts: new Map(), sql: [] };
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url, "http://x");
    const type = req.headers["content-type"] ?? "";
    let body = null;
    if (raw.length && /^\s*[[{]/.test(raw.toString("utf8", 0, 64))) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        // not JSON after all: kept as its size only
      }
    }
    const entry = {
      method: req.method,
      path: url.pathname.replace(/^\/client\/v4/, ""),
      query: Object.fromEntries(url.searchParams),
      body,
      contentType: type,
      size: raw.length,
    };
    requests.push(entry);
    const [status, payload] = route(entry);
    if (status === 404) entry.unknown = true;
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(payload));
  });

  function route(r) {
    const p = r.path;
    let m;
    if (r.method === "GET" && /^\/user\/tokens\/verify$/.test(p)) return [200, ok({ id: "token", status: "active" })];
    if (r.method === "GET" && /^\/memberships$/.test(p)) return [200, ok([])];
    m = p.match(/^\/accounts\/([^/]+)\/d1\/database$/);
    if (m) {
      if (r.method === "POST") {
        if ([...state.d1.values()].some((d) => d.name === r.body.name)) return [400, fail(7502, "A database with that name already exists")];
        const db = { uuid: randomUUID(), name: r.body.name, version: "production", created_at: new Date().toISOString() };
        state.d1.set(db.uuid, db);
        return [200, ok(db)];
      }
      const all = [...state.d1.values()].filter((d) => !r.query.name || d.name === r.query.name);
      const page = Number(r.query.page ?? 1);
      return [200, ok(page > 1 ? [] : all, { result_info: { page, per_page: 1000, count: all.length, total_count: all.length } })];
    }
    m = r.method === "GET" ? p.match(/^\/accounts\/([^/]+)\/d1\/database\/([^/]+)$/) : null;
    if (m) {
      const db = state.d1.get(m[2]);
      return db ? [200, ok({ ...db, num_tables: 0, file_size: 0 })] : [404, fail(7404, "database not found")];
    }
    m = r.method === "POST" ? p.match(/^\/accounts\/([^/]+)\/d1\/database\/([^/]+)\/(query|raw)$/) : null;
    if (m) {
      if (!state.d1.has(m[2])) return [404, fail(7404, "database not found")];
      state.sql.push(r.body?.sql ?? "");
      return [200, ok([{ results: [], success: true, meta: { duration: 1, changes: 0, rows_read: 0, rows_written: 0, served_by_primary: true } }])];
    }
    m = r.method === "POST" ? p.match(/^\/accounts\/([^/]+)\/r2\/buckets$/) : null;
    if (m) {
      if (state.buckets.has(r.body.name)) return [409, fail(10004, "The bucket you tried to create already exists, and you own it.")];
      state.buckets.add(r.body.name);
      return [200, ok({ name: r.body.name, creation_date: new Date().toISOString(), location: "ENAM" })];
    }
    m = p.match(/^\/accounts\/([^/]+)\/queues$/);
    if (m) {
      if (r.method === "POST") {
        if ([...state.queues.values()].some((q) => q.queue_name === r.body.queue_name)) return [409, fail(11009, "A queue with this name already exists")];
        const q = { queue_id: hex32(), queue_name: r.body.queue_name, created_on: new Date().toISOString(), modified_on: new Date().toISOString() };
        state.queues.set(q.queue_id, q);
        return [200, ok(q)];
      }
      return [200, ok([...state.queues.values()], { result_info: { page: 1, per_page: 100, count: state.queues.size, total_count: state.queues.size } })];
    }
    m = p.match(/^\/accounts\/([^/]+)\/hyperdrive\/configs$/);
    if (m) {
      if (r.method === "POST") {
        const h = { id: hex32(), name: r.body.name, origin: { ...r.body.origin, password: undefined }, caching: { disabled: false } };
        state.hyperdrives.set(h.id, h);
        return [200, ok(h)];
      }
      return [200, ok([...state.hyperdrives.values()])];
    }
    m = r.method === "GET" ? p.match(/^\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/secrets$/) : null;
    if (m) {
      return [200, ok([...(state.secrets.get(m[2]) ?? new Map()).keys()].map((name) => ({ name, type: "secret_text" })))];
    }
    m = r.method === "PUT" ? p.match(/^\/accounts\/([^/]+)\/workers\/scripts\/([^/]+)\/secrets$/) : null;
    if (m) {
      if (!state.secrets.has(m[2])) state.secrets.set(m[2], new Map());
      state.secrets.get(m[2]).set(r.body.name, r.body.text);
      return [200, ok({ name: r.body.name, type: "secret_text" })];
    }
    m = r.method === "GET" ? p.match(/^\/accounts\/([^/]+)\/workers\/services\/([^/]+)$/) : null;
    if (m) {
      return state.scripts.has(m[2]) || state.secrets.has(m[2])
        ? [200, ok({ id: m[2], default_environment: { environment: "production" } })]
        : [404, fail(10090, "workers.api.error.service_not_found")];
    }
    return [404, fail(7003, `No route for that URI (stand-in): ${r.method} ${p}`)];
  }

  await new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${address.port}/client/v4`,
    requests,
    state,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const api = await startFakeCloudflareApi({ port: Number(process.env.PORT ?? 8790) });
  console.log(`Cloudflare API stand-in at ${api.url} (set CLOUDFLARE_API_BASE_URL to it)`);
  process.on("SIGINT", async () => {
    for (const r of api.requests) console.log(`${r.method} ${r.path}${r.unknown ? "  (unknown)" : ""}`);
    await api.close();
    process.exit(0);
  });
}
