/*
 * vitest globalSetup (Node, before the workerd pool starts): a real Postgres (PGlite behind the
 * Postgres wire protocol on 127.0.0.1) that the Worker reaches through its BILLING Hyperdrive
 * binding, as in production. Seeded with the demo billing data for the demo tenant, and 100,000
 * invoices for the streaming test's tenant. With TEST_POSTGRES_URL set (CI: Debian's PostgreSQL
 * server, started by scripts/ci-postgres.sh), the same data goes into that server instead, which,
 * unlike PGlite, enforces statement_timeout as the database behind Hyperdrive does.
 */
import type { TestProject } from "vitest/node";
import { connectDemoPostgres, seedBilling, seedBulkInvoices, startDemoPostgres } from "../../scripts/demo-postgres.mjs";

export const BULK_TENANT = "bulk-invoices-tenant";
export const BULK_INVOICES = 100_000;
/** A small billing business for the end-to-end runs of the Postgres report types. */
export const PIPELINE_TENANT = "pipeline-billing-tenant";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    /** "server": a real PostgreSQL server (TEST_POSTGRES_URL); "pglite": the embedded default. */
    postgresKind: "server" | "pglite";
  }
}

export default async function setup(project: TestProject) {
  const server = process.env.TEST_POSTGRES_URL;
  const pg = server ? await connectDemoPostgres(server) : await startDemoPostgres({ port: 0 });
  await seedBulkInvoices(pg.db, BULK_TENANT, BULK_INVOICES);
  await seedBilling(pg.db, PIPELINE_TENANT, { subscriptions: 150 });
  project.provide("postgresUrl", pg.url);
  project.provide("postgresKind", server ? "server" : "pglite");
  return () => pg.stop();
}
