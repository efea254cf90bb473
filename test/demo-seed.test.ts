import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { DEMO_ORG_ID, seedDemo } from "../src/demo/demo-account";
import { generateDemoData } from "../src/demo/generate";
import { seedDemoData, toSqlLiteral } from "../src/demo/seed";
import { createOrganization } from "./support/demo-org";

const NOW = new Date("2026-11-28T15:00:00Z");

async function countRows(organizationId: string) {
  const count = async (table: string) =>
    (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE organization_id = ?`).bind(organizationId).first<{ n: number }>())!.n;
  return {
    customers: await count("demo_customers"),
    products: await count("demo_products"),
    orders: await count("demo_orders"),
    tickets: await count("demo_tickets"),
  };
}

const firstOrder = (organizationId: string) =>
  env.DB.prepare("SELECT * FROM demo_orders WHERE organization_id = ? ORDER BY order_date, id LIMIT 1").bind(organizationId).first();

describe("seedDemoData", () => {
  it("is idempotent: a second run leaves the same rows", async () => {
    const org = await createOrganization();
    const counts = await seedDemoData(env.DB, org, { now: NOW, scale: 0.02 });
    expect(await countRows(org)).toEqual(counts);
    const before = await firstOrder(org);
    expect(await seedDemoData(env.DB, org, { now: NOW, scale: 0.02 })).toEqual(counts);
    expect(await countRows(org)).toEqual(counts);
    expect(await firstOrder(org)).toEqual(before);
  });

  it("is deterministic: the same now gives the same business in any organization", async () => {
    const [a, b] = [await createOrganization(), await createOrganization()];
    const countsA = await seedDemoData(env.DB, a, { now: NOW, scale: 0.02 });
    const countsB = await seedDemoData(env.DB, b, { now: NOW, scale: 0.02 });
    expect(countsB).toEqual(countsA);
    expect({ ...(await firstOrder(b)), organization_id: a }).toEqual(await firstOrder(a));
  });

  it("stores names with quotes and accents exactly as generated", async () => {
    const org = await createOrganization();
    await seedDemoData(env.DB, org, { now: NOW, scale: 0.1 });
    const stored = await env.DB.prepare("SELECT id, name, email FROM demo_customers WHERE organization_id = ? ORDER BY id").bind(org).all();
    const generated = generateDemoData({ now: NOW, scale: 0.1 }).customers.map(({ id, name, email }) => ({ id, name, email }));
    expect(generated.some((c) => c.name.includes("'"))).toBe(true);
    expect(stored.results).toEqual(generated);
  });

  it("seeds the full-size business in well under a minute", async () => {
    const org = await createOrganization();
    const started = Date.now();
    const counts = await seedDemoData(env.DB, org, { now: NOW });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await countRows(org)).toEqual(counts);
  }, 60_000);
});

describe("seedDemo (npm start's demo organization)", () => {
  it("reports and keeps the same counts on every start, hours or days later", async () => {
    // Seeding up to each start's own time added the orders of the hours since: 30,005 orders on the
    // first start, 30,006 on the next.
    const first = await seedDemo(env.DB, new Date("2026-11-28T09:00:00Z"));
    expect(await countRows(DEMO_ORG_ID)).toEqual(first.counts);
    const before = await firstOrder(DEMO_ORG_ID);
    for (const later of ["2026-11-28T17:45:00Z", "2026-12-03T06:10:00Z"]) {
      const again = await seedDemo(env.DB, new Date(later));
      expect(again.counts).toEqual(first.counts);
      expect(await countRows(DEMO_ORG_ID)).toEqual(first.counts);
    }
    expect(await firstOrder(DEMO_ORG_ID)).toEqual(before);
    expect(first.login.email).toBe("demo@example.com");
  }, 120_000);
});

describe("toSqlLiteral", () => {
  it("round-trips awkward strings, numbers and null through SQL", async () => {
    const values = ["it's", "''", "a\\b", "--; DROP TABLE demo_orders", "Chloé Müller 東京", "", "?1", null, 0, -42, 2 ** 40];
    const sql = `SELECT ${values.map((v, i) => `${toSqlLiteral(v)} AS v${i}`).join(", ")}`;
    const row = await env.DB.prepare(sql).first();
    expect(Object.values(row!)).toEqual(values);
  });

  it("refuses values it cannot write safely", () => {
    expect(() => toSqlLiteral(1.5)).toThrow(RangeError);
    expect(() => toSqlLiteral(Number.NaN)).toThrow(RangeError);
    expect(() => toSqlLiteral("a\u0000b")).toThrow(RangeError);
  });
});

describe("generateDemoData", () => {
  const data = generateDemoData({ now: NOW });
  const share = (n: number) => n / data.orders.length;

  it("has the size of a small business over two years", () => {
    expect(data.customers).toHaveLength(600);
    expect(data.products).toHaveLength(60);
    expect(data.orders.length).toBeGreaterThan(28_000);
    expect(data.orders.length).toBeLessThan(32_000);
    expect(data.tickets).toHaveLength(4_000);
    expect(new Set(data.products.map((p) => p.category)).size).toBe(6);
    expect(new Set(data.customers.map((c) => c.region))).toEqual(new Set(["NA", "EU", "APAC", "LATAM"]));
    expect(new Set(data.customers.map((c) => c.segment))).toEqual(new Set(["Enterprise", "SMB", "Consumer"]));
  });

  it("keeps orders inside the two years, after each customer signed up, priced from the catalogue", () => {
    const customers = new Map(data.customers.map((c) => [c.id, c]));
    for (const o of data.orders) {
      expect(o.orderDate >= "2024-11-29" && o.orderDate <= "2026-11-28").toBe(true);
      expect(customers.get(o.customerId)!.signupDate <= o.orderDate).toBe(true);
      expect(o.amountCents).toBeGreaterThan(0);
    }
    expect(share(data.orders.filter((o) => o.status === "refunded").length)).toBeCloseTo(0.03, 2);
    expect(share(data.orders.filter((o) => o.status === "cancelled").length)).toBeCloseTo(0.02, 2);
  });

  it("grows, sells less on Sundays and peaks in December", () => {
    const ordersIn = (prefix: string) => data.orders.filter((o) => o.orderDate.startsWith(prefix)).length;
    expect(ordersIn("2026-0")).toBeGreaterThan(ordersIn("2025-0") * 1.15);
    expect(ordersIn("2025-12")).toBeGreaterThan(ordersIn("2025-09") * 1.2);
    const weekday = (o: { orderDate: string }) => new Date(`${o.orderDate}T00:00:00Z`).getUTCDay();
    const sundays = data.orders.filter((o) => weekday(o) === 0).length;
    const wednesdays = data.orders.filter((o) => weekday(o) === 3).length;
    expect(wednesdays).toBeGreaterThan(sundays * 1.3);
  });

  it("has mostly resolved tickets and an open backlog with owners and priorities", () => {
    const open = data.tickets.filter((t) => t.status === "open" || t.status === "pending");
    expect(open.length).toBeGreaterThan(40);
    expect(open.length).toBeLessThan(400);
    expect(new Set(open.map((t) => t.priority)).size).toBe(4);
    expect(open.filter((t) => t.assignee !== null).length).toBeGreaterThan(open.length / 2);
    for (const t of data.tickets) expect(t.resolvedDate === null).toBe(t.status === "open" || t.status === "pending");
  });

  it("is the same for the same now and different for another", () => {
    expect(generateDemoData({ now: NOW, scale: 0.05 })).toEqual(generateDemoData({ now: NOW, scale: 0.05 }));
    const later = generateDemoData({ now: new Date("2027-01-10T15:00:00Z"), scale: 0.05 });
    expect(later.orders[0]!.orderDate > "2025-01-01").toBe(true);
  });
});
