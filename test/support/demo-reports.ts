import { env } from "cloudflare:test";
import { expect } from "vitest";
import { readAllRows } from "../../src/reports/registry";
import type { ReportQueryContext, ReportType, Row } from "../../src/reports/types";

export function queryContext(organizationId: string, now: Date, timezone = "UTC"): ReportQueryContext {
  return { env, tenant: organizationId, now, timezone };
}

/** Reads a report both in small pages and in one big page, checks they agree, and returns the rows. */
export async function readReport(type: ReportType<any>, ctx: ReportQueryContext, rawParams: unknown, pageSize = 3): Promise<Row[]> {
  const params = type.parameters.parse(rawParams);
  const paged: Row[] = [];
  for await (const rows of readAllRows(type, ctx, params, pageSize)) {
    expect(rows.length).toBeLessThanOrEqual(pageSize);
    paged.push(...rows);
  }
  const whole = await type.fetchPage(ctx, params, null, 5000);
  expect(whole.nextCursor).toBeNull();
  expect(paged).toEqual(whole.rows);
  return whole.rows;
}

/** Parses parameters and returns the issue paths, or "ok". */
export function parameterIssues(type: ReportType<any>, raw: unknown): string[] | "ok" {
  const r = type.parameters.safeParse(raw);
  return r.success ? "ok" : r.error.issues.map((i) => i.path.join("."));
}
