import { seedDemoData } from "../../demo/seed";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { tenantKeyOf } from "../../domain/tenants";
import type { ServiceContext } from "../context";
import { loadOrganization } from "../scheduled-reports/normalize";

/**
 * Loads the sample business (customers, products, orders, tickets) into the organization's own
 * tenant of the app's D1 database, so that a newcomer's first report has rows. Once only: a tenant
 * that already has sample rows is left as it is (a second call changes nothing).
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
  const after = await counts();
  await auditInsert(ctx, { type: "sample_data.loaded", targetType: "organization", targetId: org.id, data: { ...after } });
  return { loaded: true, counts: after };
}
