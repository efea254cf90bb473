import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

export const DEMO_TENANT: string;
export function seedBilling(db: PGlite | pg.Client, tenant: string, opts?: { subscriptions?: number }): Promise<{ invoices: number }>;
export function seedBulkInvoices(db: PGlite | pg.Client, tenant: string, n: number): Promise<void>;
export function startDemoPostgres(opts?: { port?: number; dataDir?: string }): Promise<{
  db: PGlite;
  url: string;
  seeded: { invoices: number };
  stop(): Promise<void>;
}>;
export function connectDemoPostgres(url: string): Promise<{
  db: pg.Client;
  url: string;
  seeded: { invoices: number };
  stop(): Promise<void>;
}>;
