import { addDays, daysBetween } from "../reports/date-range";
import { type OrderStatus, REGIONS, SEGMENTS, type TicketPriority, type TicketStatus } from "../reports/types";

export type DemoCustomer = { id: number; name: string; email: string; region: string; segment: string; signupDate: string };
export type DemoProduct = { id: number; sku: string; name: string; category: string; unitPriceCents: number };
export type DemoOrder = {
  id: number;
  customerId: number;
  productId: number;
  region: string;
  orderDate: string;
  quantity: number;
  amountCents: number;
  status: OrderStatus;
};
export type DemoTicket = {
  id: number;
  customerId: number;
  subject: string;
  priority: TicketPriority;
  status: TicketStatus;
  assignee: string | null;
  openedDate: string;
  resolvedDate: string | null;
};
export type DemoDataset = { customers: DemoCustomer[]; products: DemoProduct[]; orders: DemoOrder[]; tickets: DemoTicket[] };

const DAYS = 730;
const GROWTH = 0.7; // the last day is 70% busier than the first, ~30% a year
const FIRST_NAMES = "Ana Ben Chloé Dev Elena Farid Grace Hiro Ines Jamal Kofi Lena Marco Nadia Omar Priya Quinn Rosa Sven Tariq Uma Victor Wen Yara Zoe".split(
  " ",
);
const LAST_NAMES = "O'Brien Smith García Müller Tanaka Okafor Rossi Kowalski Nguyen Silva Dubois Patel Johansson Kim D'Angelo Novak".split(" ");
const COMPANY_WORDS = "Northwind Bluepeak Ironleaf Sunridge Keystone Riverbend Brightline Oakmont Silverline Harbor Summit Crescent".split(" ");
const COMPANY_KINDS = "Logistics Foods Labs Health Partners Retail Systems Studio Energy Builders".split(" ");
const CATEGORIES: [name: string, nouns: string, minPrice: number, maxPrice: number][] = [
  ["Electronics", "Monitor Headset Webcam Dock Keyboard Router Speaker Tablet Charger Drive", 2_500, 60_000],
  ["Office Supplies", "Notebook Stapler Pen Set Binder Planner Label Maker Desk Pad Folder Toner Whiteboard", 300, 6_000],
  ["Furniture", "Desk Chair Bookcase Cabinet Stool Lamp Shelf Sofa Table Partition", 8_000, 90_000],
  ["Software", "Suite License Backup Plan Antivirus Designer Analytics Seat Builder Sync Vault", 2_000, 40_000],
  ["Services", "Setup Visit Training Day Audit Migration Support Block Consulting Hour Repair", 5_000, 150_000],
  ["Accessories", "Cable Case Stand Mouse Pad Adapter Sleeve Hub Strap Mount Cleaner", 500, 5_000],
];
const ADJECTIVES = "Pro Basic Ultra Compact Classic Smart Eco Prime Flex Max".split(" ");
const AGENTS = "Alice Martin|Bruno Costa|Chen Wei|Dana O'Neil|Emeka Obi|Freya Lund|Gabriel Ruiz|Hana Sato".split("|");
const SUBJECTS = [
  "Can't log in to the portal",
  "Invoice shows the wrong amount",
  "Refund request for order",
  "Shipping delay",
  "Damaged item received",
  "How do I change my plan?",
  "Password reset email not arriving",
  "Wrong item delivered",
  "Question about bulk pricing",
  "Export to CSV fails",
  "Need a copy of last month's invoice",
  "Product stopped working",
  "Cancel my subscription",
  "Update billing address",
  "Discount code not applied",
  "Installation help",
];
const MONTH_FACTOR = [0.9, 0.85, 0.95, 1, 1, 0.95, 0.9, 0.9, 1, 1.05, 1.25, 1.4];
const WEEKDAY_FACTOR = [0.7, 1.1, 1.1, 1.1, 1.1, 1.05, 0.8]; // Sunday first, as getUTCDay counts
const PRIORITIES: [TicketPriority, number, number][] = [
  ["low", 30, 12],
  ["normal", 45, 6],
  ["high", 18, 3],
  ["urgent", 7, 1],
];

/** mulberry32: tiny, fast and good enough for demo data; the same seed always gives the same stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A small business over the two years up to `now` (UTC calendar), the same for the same now and scale. */
export function generateDemoData(opts: { now: Date; scale?: number }): DemoDataset {
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= 10)) throw new RangeError("scale must be in (0, 10]");
  const today = opts.now.toISOString().slice(0, 10);
  const start = addDays(today, -(DAYS - 1));
  // Today's orders so far: a run at noon sees half a day of business.
  const dayElapsed = (opts.now.getTime() - Date.parse(`${today}T00:00:00Z`)) / 86_400_000;
  const customers = generateCustomers(mulberry32(1), Math.max(8, Math.round(600 * scale)), start);
  const products = generateProducts(mulberry32(2), Math.max(6, Math.round(60 * scale)));
  const orders = generateOrders(mulberry32(3), customers, products, start, Math.round(30_000 * scale), dayElapsed);
  const tickets = generateTickets(mulberry32(4), customers, start, today, Math.max(5, Math.round(4_000 * scale)));
  return { customers, products, orders, tickets };
}

function generateCustomers(rng: () => number, count: number, start: string): DemoCustomer[] {
  // A third were customers before the window; the rest sign up over it, more as the business grows.
  const before = Math.max(1, Math.round(count * 0.35));
  const drafts = Array.from({ length: count }, (_, i) => {
    const signupDate = i < before ? addDays(start, -1 - Math.floor(rng() * 1095)) : addDays(start, growingDay(rng));
    const segment = pickWeighted(rng, SEGMENTS, [10, 40, 50]);
    return { signupDate, segment, region: pickWeighted(rng, REGIONS, [40, 30, 20, 10]), name: "", email: "" };
  });
  drafts.sort((a, b) => (a.signupDate < b.signupDate ? -1 : a.signupDate > b.signupDate ? 1 : 0));
  return drafts.map((d, i) => {
    const id = i + 1;
    if (d.segment === "Consumer") {
      const first = pick(rng, FIRST_NAMES);
      const last = pick(rng, LAST_NAMES);
      return { ...d, id, name: `${first} ${last}`, email: `${slug(first)}.${slug(last)}${id}@example.com` };
    }
    const name = `${pick(rng, COMPANY_WORDS)} ${pick(rng, COMPANY_KINDS)}${d.segment === "Enterprise" ? " Group" : ""}`;
    return { ...d, id, name, email: `billing@${slug(name)}${id}.example.com` };
  });
}

function generateProducts(rng: () => number, count: number): DemoProduct[] {
  return Array.from({ length: count }, (_, i) => {
    const [category, nouns, min, max] = CATEGORIES[i % CATEGORIES.length]!;
    const noun = nouns.split(" ")[Math.floor(i / CATEGORIES.length) % 10]!;
    const price = Math.round((min + (max - min) * rng() ** 2) / 100) * 100 - 1; // prices end in .99
    return {
      id: i + 1,
      sku: `${category.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(4, "0")}`,
      name: `${pick(rng, ADJECTIVES)} ${noun}`,
      category,
      unitPriceCents: Math.max(99, price),
    };
  });
}

function generateOrders(rng: () => number, customers: DemoCustomer[], products: DemoProduct[], start: string, target: number, dayElapsed: number): DemoOrder[] {
  const weights = Array.from({ length: DAYS }, (_, d) => {
    const date = new Date(`${addDays(start, d)}T00:00:00Z`);
    const growth = 1 + GROWTH * (d / DAYS);
    const w = growth * MONTH_FACTOR[date.getUTCMonth()]! * WEEKDAY_FACTOR[date.getUTCDay()]! * (0.85 + 0.3 * rng());
    return d === DAYS - 1 ? w * dayElapsed : w;
  });
  const total = weights.reduce((a, b) => a + b, 0);
  // Big accounts buy more often: each customer has a fixed appetite, drawn once.
  const appetite = customers.map((c) => (c.segment === "Enterprise" ? 6 : c.segment === "SMB" ? 2 : 1) * (0.2 - Math.log(1 - rng())));
  const cumulative = runningSum(appetite);
  const popularity = runningSum(products.map((p) => (0.3 + rng()) * (p.unitPriceCents < 10_000 ? 2 : 1)));
  const orders: DemoOrder[] = [];
  let eligible = 0;
  for (let d = 0; d < DAYS; d++) {
    const date = addDays(start, d);
    while (eligible < customers.length && customers[eligible]!.signupDate <= date) eligible++;
    const count = eligible === 0 ? 0 : Math.floor((target * weights[d]!) / total + rng());
    for (let k = 0; k < count; k++) {
      const customer = customers[pickCumulative(rng, cumulative, eligible)]!;
      const product = products[pickCumulative(rng, popularity, products.length)]!;
      const quantity =
        customer.segment === "Enterprise" ? 2 + Math.floor(rng() * 19) : customer.segment === "SMB" ? 1 + Math.floor(rng() * 5) : 1 + Math.floor(rng() * 2);
      const discount = customer.segment === "Enterprise" ? 0.85 : 1;
      const roll = rng();
      const status: OrderStatus = roll < 0.03 ? "refunded" : roll < 0.05 ? "cancelled" : "completed";
      orders.push({
        id: orders.length + 1,
        customerId: customer.id,
        productId: product.id,
        region: customer.region,
        orderDate: date,
        quantity,
        amountCents: Math.round(product.unitPriceCents * quantity * discount),
        status,
      });
    }
  }
  return orders;
}

function generateTickets(rng: () => number, customers: DemoCustomer[], start: string, today: string, count: number): DemoTicket[] {
  const opened = Array.from({ length: count }, () => addDays(start, growingDay(rng))).sort();
  let eligible = 0;
  return opened.map((openedDate, i) => {
    while (eligible < customers.length && customers[eligible]!.signupDate <= openedDate) eligible++;
    const customer = customers[Math.floor(rng() * Math.max(1, eligible))]!;
    const [priority, , meanDays] = pickWeighted(
      rng,
      PRIORITIES,
      PRIORITIES.map((p) => p[1]),
    );
    // A few tickets get stuck forever: that long tail is what a real backlog looks like.
    const stuck = rng() < 0.02;
    const resolvedDate = stuck ? null : addDays(openedDate, Math.floor(-Math.log(1 - rng()) * meanDays));
    const assignee = pick(rng, AGENTS);
    const ticket = { id: i + 1, customerId: customer.id, subject: pick(rng, SUBJECTS), priority, openedDate };
    if (resolvedDate === null || resolvedDate > today) {
      const status: TicketStatus = rng() < 0.35 ? "pending" : "open";
      const unassigned = status === "open" && rng() < 0.2;
      return { ...ticket, status, assignee: unassigned ? null : assignee, resolvedDate: null };
    }
    const status: TicketStatus = daysBetween(resolvedDate, today) <= 14 ? "solved" : "closed";
    return { ...ticket, status, assignee, resolvedDate };
  });
}

/** A day index in the window, denser later: density grows linearly by GROWTH over the window. */
function growingDay(rng: () => number): number {
  const x = (-1 + Math.sqrt(1 + 2 * GROWTH * rng() * (1 + GROWTH / 2))) / GROWTH;
  return Math.min(DAYS - 1, Math.floor(x * DAYS));
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function pickWeighted<T>(rng: () => number, items: readonly T[], weights: readonly number[]): T {
  return items[pickCumulative(rng, runningSum(weights), items.length)]!;
}

/** Index in [0, n) drawn in proportion to the weights whose running sums are given. */
function pickCumulative(rng: () => number, cumulative: readonly number[], n: number): number {
  const r = rng() * cumulative[n - 1]!;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function runningSum(values: readonly number[]): number[] {
  let sum = 0;
  return values.map((v) => (sum += v));
}

function slug(s: string): string {
  return s
    .normalize("NFD")
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}
