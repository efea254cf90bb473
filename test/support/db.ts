import { env } from "cloudflare:test";

/** Row counts that a rejected request must leave unchanged. */
export async function countRows(table: string, organizationId: string): Promise<number> {
  const row = await env.DB.prepare(`select count(*) as n from ${table} where organization_id = ?`).bind(organizationId).first<{ n: number }>();
  return row?.n ?? 0;
}

export async function snapshotCounts(organizationId: string) {
  const tables = ["scheduled_reports", "audit_events", "users", "report_executions"];
  return Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await countRows(t, organizationId)] as const)));
}
