import { type DemoDataset, generateDemoData } from "./generate";

export type SeedCounts = { customers: number; products: number; orders: number; tickets: number };
type Literal = string | number | null;

/**
 * D1 allows 100 bound parameters but 100 KB of SQL per statement, so rows go in as multi-row
 * INSERTs of escaped literals (the organization id stays bound, once, as ?1). Statements are kept
 * well under the SQL limit and sent a few per batch, each batch being one transaction.
 */
const MAX_STATEMENT_BYTES = 50_000;
const STATEMENTS_PER_BATCH = 10;

const TABLES = {
  customers: ["demo_customers", ["id", "name", "email", "region", "segment", "signup_date"]],
  products: ["demo_products", ["id", "sku", "name", "category", "unit_price_cents"]],
  orders: ["demo_orders", ["id", "customer_id", "product_id", "region", "order_date", "quantity", "amount_cents", "status"]],
  tickets: ["demo_tickets", ["id", "customer_id", "subject", "priority", "status", "assignee", "opened_date", "resolved_date"]],
} as const;

/**
 * Loads the demo business for an organization. Idempotent: ids are fixed per organization and rows
 * go in with INSERT OR IGNORE, so a second run with the same `now` changes nothing. (A run with a
 * different `now` keeps the rows already there and adds only ids that were missing.)
 */
export async function seedDemoData(d1: D1Database, organizationId: string, opts: { now?: Date; scale?: number } = {}): Promise<SeedCounts> {
  const data = generateDemoData({ now: opts.now ?? new Date(), scale: opts.scale ?? 1 });
  const statements = [
    ...insertStatements(
      d1,
      organizationId,
      "customers",
      data.customers.map((c) => [c.id, c.name, c.email, c.region, c.segment, c.signupDate]),
    ),
    ...insertStatements(
      d1,
      organizationId,
      "products",
      data.products.map((p) => [p.id, p.sku, p.name, p.category, p.unitPriceCents]),
    ),
    ...insertStatements(d1, organizationId, "orders", orderRows(data)),
    ...insertStatements(d1, organizationId, "tickets", ticketRows(data)),
  ];
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    await d1.batch(statements.slice(i, i + STATEMENTS_PER_BATCH));
  }
  return { customers: data.customers.length, products: data.products.length, orders: data.orders.length, tickets: data.tickets.length };
}

function orderRows(data: DemoDataset): Literal[][] {
  return data.orders.map((o) => [o.id, o.customerId, o.productId, o.region, o.orderDate, o.quantity, o.amountCents, o.status]);
}

function ticketRows(data: DemoDataset): Literal[][] {
  return data.tickets.map((t) => [t.id, t.customerId, t.subject, t.priority, t.status, t.assignee, t.openedDate, t.resolvedDate]);
}

function insertStatements(d1: D1Database, organizationId: string, table: keyof typeof TABLES, rows: Literal[][]): D1PreparedStatement[] {
  const [name, columns] = TABLES[table];
  const head = `INSERT OR IGNORE INTO ${name} (organization_id, ${columns.join(", ")}) VALUES `;
  const encoder = new TextEncoder();
  const statements: D1PreparedStatement[] = [];
  let tuples: string[] = [];
  let bytes = head.length;
  const flush = () => {
    if (tuples.length === 0) return;
    statements.push(d1.prepare(head + tuples.join(",")).bind(organizationId));
    tuples = [];
    bytes = head.length;
  };
  for (const row of rows) {
    if (row.length !== columns.length) throw new Error(`A ${table} row has ${row.length} values for ${columns.length} columns`);
    const tuple = `(?1,${row.map(toSqlLiteral).join(",")})`;
    const size = encoder.encode(tuple).length + 1;
    if (bytes + size > MAX_STATEMENT_BYTES) flush();
    tuples.push(tuple);
    bytes += size;
  }
  flush();
  return statements;
}

/** Only values this module generated get here, but they are still escaped as if they were hostile. */
export function toSqlLiteral(value: Literal): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new RangeError(`Only safe integers are written as literals, got ${value}`);
    return String(value);
  }
  if (value.includes("\u0000")) throw new RangeError("NUL characters cannot be written as SQL literals");
  return `'${value.replaceAll("'", "''")}'`;
}
