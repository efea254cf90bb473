import { eq } from "drizzle-orm";
import { createDb, type Db } from "../db/client";
import { organizations, scheduledReports, users } from "../db/schema";
import { hashPassword } from "../lib/password";
import { type PresetSchedule, presetToCron } from "../lib/schedule";
import { computeNextRunAt } from "../services/scheduled-reports/next-run";
import { type SeedCounts, seedDemoData } from "./seed";

export const DEMO_LOGIN = { email: "demo@example.com", password: "demo-password" } as const;
export const DEMO_ORG_ID = "00000000-0000-4000-8000-00000000d3e0";
const DEMO_USER_ID = "00000000-0000-4000-8000-00000000d3e1";

type DemoReport = {
  id: string;
  name: string;
  reportType: string;
  format: "csv" | "xlsx" | "pdf";
  parameters: Record<string, unknown>;
  schedule: PresetSchedule;
  timezone: string;
};

const demoReports: DemoReport[] = [
  {
    id: "d3e0",
    name: "Weekly sales by region",
    reportType: "sales_summary",
    format: "xlsx",
    parameters: { dateRange: "last_7_days" },
    schedule: { preset: "weekly", time: "09:00", daysOfWeek: [1] },
    timezone: "Europe/Berlin",
  },
  {
    id: "d3e1",
    name: "Daily order export",
    reportType: "order_details",
    format: "csv",
    parameters: { dateRange: "yesterday" },
    schedule: { preset: "daily", time: "06:00" },
    timezone: "America/New_York",
  },
  {
    id: "d3e2",
    name: "Top customers last month",
    reportType: "top_customers",
    format: "pdf",
    parameters: { dateRange: "last_month", limit: 25 },
    schedule: { preset: "monthly", time: "08:00", dayOfMonth: 1 },
    timezone: "Asia/Kolkata",
  },
  {
    id: "d3e3",
    name: "Support backlog",
    reportType: "ticket_backlog",
    format: "csv",
    parameters: {},
    schedule: { preset: "daily", time: "08:30", daysOfWeek: [1, 2, 3, 4, 5] },
    timezone: "Australia/Sydney",
  },
];

/** The demo organization, its admin and a few scheduled reports; every insert is idempotent. */
export async function seedDemoAccount(db: Db, now: Date) {
  const passwordHash = await hashPassword(DEMO_LOGIN.password);
  const stamp = { createdAt: now, updatedAt: now };
  await db.batch([
    db
      .insert(organizations)
      .values({ id: DEMO_ORG_ID, name: "Acme Analytics (demo)", ...stamp })
      .onConflictDoNothing(),
    db
      .insert(users)
      // Confirmed: the demo exists only under local development, where its test sends land in the outbox.
      .values({
        id: DEMO_USER_ID,
        organizationId: DEMO_ORG_ID,
        email: DEMO_LOGIN.email,
        name: "Demo Admin",
        role: "admin",
        passwordHash,
        emailVerifiedAt: now,
        ...stamp,
      })
      .onConflictDoNothing(),
    ...demoReports.map((r) => {
      const row = {
        id: `00000000-0000-4000-8000-00000000${r.id.padStart(4, "0")}`,
        organizationId: DEMO_ORG_ID,
        createdBy: DEMO_USER_ID,
        name: r.name,
        reportType: r.reportType,
        parameters: r.parameters,
        format: r.format,
        scheduleConfig: r.schedule,
        cron: presetToCron(r.schedule),
        timezone: r.timezone,
        catchUp: "latest" as const,
        startAt: null,
        endAt: null,
        recipients: [{ type: "email" as const, value: DEMO_LOGIN.email }],
        isActive: true,
        ...stamp,
      };
      return db
        .insert(scheduledReports)
        .values({ ...row, nextRunAt: computeNextRunAt(row, now) })
        .onConflictDoNothing();
    }),
  ]);
  return { organizationId: DEMO_ORG_ID, ...DEMO_LOGIN };
}

/**
 * The demo organization with its business (what `npm start` loads, through POST /api/dev/seed).
 * Idempotent across starts: the business is the two years up to the moment the demo organization was
 * first created, not up to each start, so a restart minutes or months later finds the same rows and
 * reports the same counts (seeding up to each start added the orders of the time since, and moved
 * the counts). A fresh .wrangler/state gives a business up to the new first start.
 */
export async function seedDemo(d1: D1Database, now: Date): Promise<{ login: typeof DEMO_LOGIN; counts: SeedCounts }> {
  const db = createDb(d1);
  await seedDemoAccount(db, now);
  const [org] = await db.select({ createdAt: organizations.createdAt }).from(organizations).where(eq(organizations.id, DEMO_ORG_ID));
  const counts = await seedDemoData(d1, DEMO_ORG_ID, { now: org?.createdAt ?? now });
  return { login: DEMO_LOGIN, counts };
}
