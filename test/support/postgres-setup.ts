/*
 * vitest globalSetup (Node, before the workerd pool starts): a real Postgres (PGlite behind the
 * Postgres wire protocol on 127.0.0.1) that the Worker reaches through its BILLING Hyperdrive
 * binding, as in production. Seeded with the demo billing data for the demo tenant, and 100,000
 * invoices for the streaming test's tenant.
 */
import type { TestProject } from "vitest/node";
import { seedBilling, seedBulkInvoices, startDemoPostgres } from "../../scripts/demo-postgres.mjs";

export const BULK_TENANT = "bulk-invoices-tenant";
export const BULK_INVOICES = 100_000;
/** A small billing business for the end-to-end runs of the Postgres report types. */
export const PIPELINE_TENANT = "pipeline-billing-tenant";

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const pg = await startDemoPostgres({ port: 0 });
  await seedBulkInvoices(pg.db, BULK_TENANT, BULK_INVOICES);
  await seedBilling(pg.db, PIPELINE_TENANT, { subscriptions: 150 });
  project.provide("postgresUrl", pg.url);
  return () => pg.stop();
}
