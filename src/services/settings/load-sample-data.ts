import pg from "pg";
import { config } from "../../config";
import { BILLING_SCHEMA, seedBilling } from "../../demo/billing-seed.js";
import { seedDemoData } from "../../demo/seed";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { tenantKeyOf } from "../../domain/tenants";
import type { ServiceContext } from "../context";
import { loadOrganization } from "../scheduled-reports/normalize";

/**
 * Loads the sample business (customers, products, orders, tickets) into the organization's own
 * tenant of the app's D1 database, so that a newcomer's first report has rows. Once only: a tenant
 * that already has sample rows is left as it is (a second call changes nothing). Under local
 * development it also fills the demo Postgres behind BILLING (PGlite under npm start) for the same
 * tenant key, so the Postgres report types have rows too; a deployed BILLING is the company's own
 * database, which the app only reads.
 */
export async function loadSampleData({ ctx }: { ctx: ServiceContext }) {
  requireRole(ctx.auth, "admin");
  const org = await loadOrganization(ctx);
  const tenant = tenantKeyOf(org);
  const counts = async () => {
    const row = await ctx.env.DB.prepare(
      `select (select count(*) from demo_customers where organization_id = ?1) as customers,
              (select count(*) from demo_products where organization_id = ?1) as products,
              (select count(*) from demo_orders where organization_id = ?1) as orders,
              (select count(*) from demo_tickets where organization_id = ?1) as tickets`,
    )
      .bind(tenant)
      .first<{ customers: number; products: number; orders: number; tickets: number }>();
    return row!;
  };
  const before = await counts();
  if (before.customers > 0) return { loaded: false, counts: before };
  await seedDemoData(ctx.env.DB, tenant, { now: ctx.now });
  // The demo billing database's binding (optional, like every Postgres source).
  const hyperdrive = (ctx.env as unknown as Record<string, { connectionString?: string } | undefined>).BILLING;
  const billing = config(ctx.env).localDev && hyperdrive?.connectionString ? await seedDemoBilling(hyperdrive.connectionString, tenant) : null;
  const after = await counts();
  await auditInsert(ctx, {
    type: "sample_data.loaded",
    targetType: "organization",
    targetId: org.id,
    data: { ...after, ...(billing ? { invoices: billing.invoices } : {}) },
  });
  return { loaded: true, counts: after };
}

async function seedDemoBilling(connectionString: string, tenant: string) {
  const client = new pg.Client({ connectionString });
  client.on("error", () => {});
  await client.connect();
  try {
    await client.query(BILLING_SCHEMA);
    return await seedBilling(client, tenant);
  } finally {
    await client.end().catch(() => {});
  }
}
