import type { PGlite } from "@electric-sql/pglite";

export const DEMO_TENANT: string;
export function seedBilling(db: PGlite, tenant: string, opts?: { subscriptions?: number }): Promise<{ invoices: number }>;
export function seedBulkInvoices(db: PGlite, tenant: string, n: number): Promise<void>;
export function startDemoPostgres(opts?: { port?: number; dataDir?: string }): Promise<{
  db: PGlite;
  url: string;
  seeded: { invoices: number };
  stop(): Promise<void>;
}>;
