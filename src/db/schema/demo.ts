import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/*
 * The demo business that the D1 report types read (the embedded data source). Every row belongs to
 * one data tenant: `organization_id` holds the tenant key that report queries bind as :tenant (an
 * organization's own id unless the operator mapped it to another key), so it is not a foreign key.
 * Ids are per tenant so that seeding is idempotent (INSERT OR IGNORE).
 * Calendar dates are the business day (YYYY-MM-DD) so that report date ranges need no timezone
 * arithmetic in SQL.
 */
const orgId = () => text("organization_id").notNull();

export const demoCustomers = sqliteTable(
  "demo_customers",
  {
    organizationId: orgId(),
    id: integer("id").notNull(),
    name: text("name").notNull(),
    email: text("email").notNull(),
    region: text("region").notNull(),
    segment: text("segment").notNull(),
    signupDate: text("signup_date").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

export const demoProducts = sqliteTable(
  "demo_products",
  {
    organizationId: orgId(),
    id: integer("id").notNull(),
    sku: text("sku").notNull(),
    name: text("name").notNull(),
    category: text("category").notNull(),
    unitPriceCents: integer("unit_price_cents").notNull(),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] })],
);

export const demoOrders = sqliteTable(
  "demo_orders",
  {
    organizationId: orgId(),
    id: integer("id").notNull(),
    customerId: integer("customer_id").notNull(),
    productId: integer("product_id").notNull(),
    region: text("region").notNull(),
    orderDate: text("order_date").notNull(),
    quantity: integer("quantity").notNull(),
    amountCents: integer("amount_cents").notNull(),
    status: text("status", { enum: ["completed", "refunded", "cancelled"] }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index("demo_orders_org_date_idx").on(t.organizationId, t.orderDate, t.id),
    index("demo_orders_org_region_date_idx").on(t.organizationId, t.region, t.orderDate),
    index("demo_orders_org_customer_idx").on(t.organizationId, t.customerId),
  ],
);

export const demoTickets = sqliteTable(
  "demo_tickets",
  {
    organizationId: orgId(),
    id: integer("id").notNull(),
    customerId: integer("customer_id").notNull(),
    subject: text("subject").notNull(),
    priority: text("priority", { enum: ["low", "normal", "high", "urgent"] }).notNull(),
    status: text("status", { enum: ["open", "pending", "solved", "closed"] }).notNull(),
    assignee: text("assignee"),
    openedDate: text("opened_date").notNull(),
    resolvedDate: text("resolved_date"),
  },
  (t) => [primaryKey({ columns: [t.organizationId, t.id] }), index("demo_tickets_org_status_date_idx").on(t.organizationId, t.status, t.openedDate, t.id)],
);
