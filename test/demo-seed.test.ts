import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { generateDemoData } from "../src/demo/generate";
import { seedDemoData } from "../src/demo/seed";
import { createOrganization } from "./support/demo-org";

const NOW = new Date("2026-11-28T15:00:00Z");

async function seedBound(orgId: string) {
  const data = generateDemoData({ now: NOW });
  const tables: [string, string[], unknown[][]][] = [
    ["demo_customers", ["id", "name", "email", "region", "segment", "signup_date"], data.customers.map((c) => [c.id, c.name, c.email, c.region, c.segment, c.signupDate])],
    ["demo_products", ["id", "sku", "name", "category", "unit_price_cents"], data.products.map((p) => [p.id, p.sku, p.name, p.category, p.unitPriceCents])],
    ["demo_orders", ["id", "customer_id", "product_id", "region", "order_date", "quantity", "amount_cents", "status"], data.orders.map((o) => [o.id, o.customerId, o.productId, o.region, o.orderDate, o.quantity, o.amountCents, o.status])],
    ["demo_tickets", ["id", "customer_id", "subject", "priority", "status", "assignee", "opened_date", "resolved_date"], data.tickets.map((t) => [t.id, t.customerId, t.subject, t.priority, t.status, t.assignee, t.openedDate, t.resolvedDate])],
  ];
  const stmts: D1PreparedStatement[] = [];
  for (const [name, cols, rows] of tables) {
    const per = Math.floor(100 / (cols.length + 1));
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const sql = `INSERT OR IGNORE INTO ${name} (organization_id, ${cols.join(",")}) VALUES ${chunk.map(() => `(${Array(cols.length + 1).fill("?").join(",")})`).join(",")}`;
      stmts.push(env.DB.prepare(sql).bind(...chunk.flatMap((r) => [orgId, ...r])));
    }
  }
  for (let i = 0; i < stmts.length; i += 100) await env.DB.batch(stmts.slice(i, i + 100));
  return stmts.length;
}

it("bench", async () => {
  let t = Date.now();
  const gen = generateDemoData({ now: NOW });
  console.log("generate ms", Date.now() - t, gen.customers.length, gen.products.length, gen.orders.length, gen.tickets.length);
  const a = await createOrganization();
  t = Date.now();
  const counts = await seedDemoData(env.DB, a, { now: NOW });
  console.log("literal ms", Date.now() - t, counts);
  t = Date.now();
  await seedDemoData(env.DB, a, { now: NOW });
  console.log("literal rerun ms", Date.now() - t);
  const b = await createOrganization();
  t = Date.now();
  const n = await seedBound(b);
  console.log("bound ms", Date.now() - t, n, "statements");
  const c = await env.DB.prepare("SELECT organization_id, count(*) n FROM demo_orders GROUP BY 1").all();
  console.log(c.results);
  const backlog = await env.DB.prepare("SELECT status, priority, count(*) n, sum(assignee is null) un FROM demo_tickets WHERE organization_id = ? GROUP BY 1,2").bind(a).all();
  console.log(backlog.results);
  const byYear = await env.DB.prepare("SELECT substr(order_date,1,7) m, count(*) n, sum(amount_cents)/100 rev, sum(status='refunded') r, sum(status='cancelled') c FROM demo_orders WHERE organization_id = ? GROUP BY 1").bind(a).all();
  console.log(JSON.stringify(byYear.results));
}, 120_000);
