import { api, type TestUser, unique } from "./api";

export function reportBody(overrides: Record<string, unknown> = {}) {
  return {
    name: unique("Weekly sales"),
    reportType: "sales_summary",
    parameters: { dateRange: "last_7_days" },
    format: "xlsx",
    schedule: { cron: "0 9 * * 1", timezone: "Europe/Berlin", catchUp: "latest" },
    recipients: [
      { type: "email", value: "ops@example.com" },
      { type: "webhook", value: "https://example.com/hooks/reports" },
    ],
    ...overrides,
  };
}

export async function createReport(user: TestUser, overrides: Record<string, unknown> = {}) {
  const res = await api("/api/scheduled-reports", { token: user.token, body: reportBody(overrides) });
  if (res.status !== 201) throw new Error(`create report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; [k: string]: any };
}
