// A real Postgres for local development and tests, without installing a server: PGlite (Postgres
// compiled to WebAssembly) behind a Postgres wire-protocol socket on 127.0.0.1. The Worker reaches it
// through its Hyperdrive binding's local connection string, with the same `pg` driver as in
// production. It holds a made-up subscription business (plans, subscriptions, invoices) for the
// demo organization, seeded idempotently.
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import pg from "pg";
import { BILLING_SCHEMA as SCHEMA, seedBilling } from "../src/demo/billing-seed.js";

export { seedBilling };

/** The demo organization's tenant key (its id): the billing rows below belong to it. */
export const DEMO_TENANT = "00000000-0000-4000-8000-00000000d3e0";

/** `n` plain invoices for one tenant, one a minute apart in issue order: volume for streaming tests and benchmarks. */
export async function seedBulkInvoices(db, tenant, n) {
  await db.query("INSERT INTO billing_plans (tenant, id, name, monthly_cents) VALUES ($1, 'team', 'Team', 9900) ON CONFLICT DO NOTHING", [tenant]);
  await db.query(
    `INSERT INTO billing_invoices (tenant, id, subscription_id, customer, plan_id, issued_on, due_on, amount_cents, status, paid_on)
     SELECT $1, g, g % 1000, 'Customer ' || lpad((g % 1000)::text, 5, '0'), 'team',
            current_date - (g % 700), current_date - (g % 700) + 14, 9900 + g % 100, 'paid', NULL
       FROM generate_series(1, $2::int) AS g
     ON CONFLICT DO NOTHING`,
    [tenant, n],
  );
}

/** Starts PGlite (kept in `dataDir`, or in memory) on 127.0.0.1:`port` (0: any free port), seeded for the demo tenant. */
export async function startDemoPostgres({ port = 0, dataDir } = {}) {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir } : undefined);
  await db.exec(SCHEMA);
  const seeded = await seedBilling(db, DEMO_TENANT);
  // PGlite runs one query at a time; the socket server queues what arrives together.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port, maxConnections: 100 });
  await server.start();
  const address = server.getServerConn(); // "127.0.0.1:<port>"
  return {
    db,
    url: `postgresql://postgres:postgres@${address}/postgres?sslmode=disable`,
    seeded,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}

/**
 * A real Postgres server instead of PGlite (CI runs Debian's, scripts/ci-postgres.sh): the same
 * schema and demo rows, through `pg` (whose query(text, values) answers { rows } as PGlite does).
 */
export async function connectDemoPostgres(url) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(SCHEMA);
  const seeded = await seedBilling(db, DEMO_TENANT);
  return { db, url, seeded, stop: () => db.end() };
}
