import { env } from "cloudflare:test";
import { createDb } from "../../src/db/client";
import { demoCustomers, demoOrders, organizations } from "../../src/db/schema";
import { seedDemoData } from "../../src/demo/seed";

/** A fresh organization per test, so no test depends on another's data. */
export async function createOrganization(name = "Test org"): Promise<string> {
  const id = crypto.randomUUID();
  await createDb(env.DB).insert(organizations).values({ id, name, createdAt: new Date(), updatedAt: new Date() });
  return id;
}

/** An organization holding the generated demo business at a small scale. */
export async function createSeededOrganization(now: Date, scale: number): Promise<string> {
  const id = await createOrganization("Seeded org");
  await seedDemoData(env.DB, id, { now, scale });
  return id;
}

type NewOrder = Partial<typeof demoOrders.$inferInsert> & { id: number; orderDate: string; amountCents: number };
type NewCustomer = Partial<typeof demoCustomers.$inferInsert> & { id: number; name: string };

/** Hand-made rows for edge cases; anything not given gets a plain default. */
export async function insertDemoRows(organizationId: string, rows: { customers?: NewCustomer[]; orders?: NewOrder[] }) {
  const db = createDb(env.DB);
  const customers = (rows.customers ?? []).map((c) => ({
    organizationId,
    email: `c${c.id}@example.com`,
    region: "EU",
    segment: "SMB",
    signupDate: "2020-01-01",
    ...c,
  }));
  const orders = (rows.orders ?? []).map((o) => ({
    organizationId,
    customerId: 1,
    productId: 1,
    region: "EU",
    quantity: 1,
    status: "completed" as const,
    ...o,
  }));
  // Five rows at a time keeps each statement far below D1's 100 bound parameters.
  for (let i = 0; i < customers.length; i += 5) await db.insert(demoCustomers).values(customers.slice(i, i + 5));
  for (let i = 0; i < orders.length; i += 5) await db.insert(demoOrders).values(orders.slice(i, i + 5));
}
