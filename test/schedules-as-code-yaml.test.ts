import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { api, expectError, newOrganization, type TestUser } from "./support/api";
import { countRows } from "./support/db";
import { createReport } from "./support/factories";

const sendYaml = (user: TestUser | null, text: string | Uint8Array, { dryRun = false, type = "application/yaml" } = {}) =>
  SELF.fetch(`http://127.0.0.1:8787/api/scheduled-reports/apply?dryRun=${dryRun}`, {
    method: "POST",
    headers: { "content-type": type, "cf-connecting-ip": "198.51.100.77", ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
    body: text,
  }).then(async (res) => ({ status: res.status, body: await res.json<any>(), headers: res.headers }));

const exportYaml = async (user: TestUser) => (await api("/api/scheduled-reports/export?format=yaml", { token: user.token })).body as string;
const exportJson = async (user: TestUser) => (await api("/api/scheduled-reports/export", { token: user.token })).body;

/** Strings a YAML 1.1 reader (PyYAML, Psych) retypes when they are not quoted, in every field that holds text. */
const tricky = [
  {
    key: "0755",
    name: "yes",
    reportType: "order_details",
    parameters: { dateRange: "yesterday" },
    format: "csv",
    schedule: { preset: "weekly", time: "10:30", daysOfWeek: [1, 3], timezone: "Europe/Berlin", catchUp: "latest" },
    recipients: [{ type: "email", value: "ops@example.com" }],
    deliverWhen: { mode: "ifThreshold", column: "status", operator: "=", value: "no" },
  },
  {
    key: "on",
    name: "2026-01-01",
    reportType: "sales_summary",
    parameters: { dateRange: "last_7_days" },
    format: "xlsx",
    schedule: { trigger: "event", deadline: "09:30", onMissedDeadline: "alert", timezone: "UTC" },
    deliverWhen: { mode: "ifThreshold", column: "region", operator: "!=", value: "0x1F" },
  },
  {
    key: "1_000",
    name: "~",
    reportType: "sales_summary",
    parameters: { dateRange: "last_month" },
    format: "pdf",
    schedule: { preset: "monthly", time: "06:00", dayOfMonth: "last", timezone: "America/New_York", catchUp: "all", startAt: "2026-01-01T00:00:00.000Z" },
    deliverWhen: { mode: "ifThreshold", column: "region", operator: "=", value: "1:20" },
  },
  { key: "null", name: "off", reportType: "sales_summary", format: "csv", schedule: { preset: "hourly", minute: 15, timezone: "UTC" } },
  { key: "y", name: "0o17", reportType: "sales_summary", format: "csv", schedule: { cron: "30 10 * * 1-5", timezone: "Asia/Tokyo" } },
  { key: "1e3", name: "n", reportType: "sales_summary", format: "csv", schedule: { preset: "daily", time: "07:05", timezone: "UTC" }, isActive: false },
];

describe("schedules as code in YAML", () => {
  it("exports YAML that a YAML 1.1 reader reads as the JSON export, and every report round-trips as unchanged", async () => {
    const admin = await newOrganization();
    expect((await api("/api/scheduled-reports/apply", { token: admin.token, body: { reports: tricky } })).status).toBe(200);
    await createReport(admin, { name: "10:30", schedule: { preset: "daily", time: "10:30", timezone: "UTC" } });
    await createReport(admin, { name: "Triggered", schedule: { trigger: "event", timezone: "UTC" }, format: "csv", compress: true });

    const json = await exportJson(admin);
    const yaml = await exportYaml(admin);
    expect(json.reports).toHaveLength(8);
    expect(yaml).toContain('time: "10:30"');
    expect(yaml).toContain('operator: "="');
    // The `yaml` package in 1.1 mode retypes as PyYAML does (`10:30` → 630, `yes` → true, `0755` → 493).
    expect(parse("time: 10:30\nname: yes\nkey: 0755\n", { version: "1.1" })).toEqual({ time: 630, name: true, key: 493 });
    expect(parse(yaml, { version: "1.1" })).toEqual(json);
    expect(parse(yaml)).toEqual(json);

    // Applying the export adopts the two reports without a key and changes nothing else...
    const first = await sendYaml(admin, yaml);
    expect(first.status).toBe(200);
    const actions = Object.fromEntries(first.body.plan.map((s: { key: string; action: string }) => [s.key, s.action]));
    expect(Object.values(actions).sort()).toEqual(["adopt", "adopt", "unchanged", "unchanged", "unchanged", "unchanged", "unchanged", "unchanged"]);
    // ...and after that, the document and a new export are all unchanged, read either way.
    for (const doc of [yaml, await exportYaml(admin)]) {
      const again = await sendYaml(admin, doc, { dryRun: true });
      expect(again.body.plan.map((s: { action: string }) => s.action)).toEqual(new Array(8).fill("unchanged"));
      const asPyYaml = await api("/api/scheduled-reports/apply?dryRun=true", { token: admin.token, body: parse(doc, { version: "1.1" }) });
      expect(asPyYaml.body.plan.map((s: { action: string }) => s.action)).toEqual(new Array(8).fill("unchanged"));
    }
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(8);
  });

  it("takes application/yaml and text/yaml bodies, read as YAML 1.2, the same as JSON", async () => {
    const admin = await newOrganization();
    const doc = `# kept in the repository
reports:
  - key: daily-sales
    name: Daily sales
    reportType: sales_summary
    parameters: { dateRange: yesterday }
    format: csv
    schedule: { preset: daily, time: 10:30, timezone: Europe/Berlin }
    recipients:
      - { type: email, value: Sales@Example.com }
prune: true
`;
    const dry = await sendYaml(admin, doc, { dryRun: true, type: "text/yaml; charset=utf-8" });
    expect(dry.body).toEqual({ plan: [{ key: "daily-sales", action: "create" }], applied: false });
    const applied = await sendYaml(admin, doc);
    expect(applied.body).toEqual({ plan: [{ key: "daily-sales", action: "create" }], applied: true });
    const [report] = (await exportJson(admin)).reports;
    expect(report).toMatchObject({ key: "daily-sales", schedule: { time: "10:30" }, recipients: [{ type: "email", value: "sales@example.com" }] });
    const asJson = await api("/api/scheduled-reports/apply?dryRun=true", { token: admin.token, body: parse(doc) });
    expect(asJson.body.plan).toEqual([{ key: "daily-sales", action: "unchanged" }]);
  });

  it("answers bad YAML in the one envelope, naming the document path of a bad field, and stores nothing", async () => {
    const admin = await newOrganization();
    const entry = "  - { key: a, name: A, reportType: sales_summary, format: csv, schedule: { preset: daily, time: 10:30, timezone: UTC } }\n";
    const cases: [string, string | Uint8Array, number, string][] = [
      [
        "a bad field",
        `reports:\n${entry}  - { key: b, name: B, reportType: sales_summary, format: csv, schedule: { cron: "0 9 * * *", timezone: Mars/Olympus } }\n`,
        400,
        "validation_failed",
      ],
      ["a boolean written as yes", `reports:\n${entry.replace("key: a,", "key: a, isActive: yes,")}`, 400, "validation_failed"],
      ["broken YAML", "reports: [\n", 400, "invalid_json"],
      ["a key twice", `reports: []\nreports: []\n`, 400, "invalid_json"],
      ["two documents", `reports: []\n---\nreports: []\n`, 400, "invalid_json"],
      [
        "an alias bomb",
        `a: &a [x,x,x,x,x,x,x,x,x,x]\n${Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${new Array(10).fill(i ? `*b${i - 1}` : "*a").join(",")}]`).join("\n")}\n`,
        400,
        "invalid_json",
      ],
      ["brackets nested 100,000 levels", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, 400, "invalid_json"],
      ["sequences nested 100,000 levels on one line", `${"- ".repeat(100_000)}x\n`, 400, "invalid_json"],
      ["bytes that are not UTF-8", new Uint8Array([...new TextEncoder().encode("reports: [] # "), 0xff, 0xfe]), 400, "invalid_json"],
      ["a number JSON has not", "reports: []\nprune: .inf\n", 400, "invalid_json"],
      ["a body over 256 KiB", `reports: []\n# ${"x".repeat(300 * 1024)}\n`, 413, "payload_too_large"],
    ];
    const problems: string[] = [];
    for (const [name, body, status, code] of cases) {
      const res = await sendYaml(admin, body);
      if (res.status !== status || res.body?.error?.code !== code || typeof res.body.error.requestId !== "string") {
        problems.push(`${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      }
      if (name === "a bad field") expect(res.body.error.details).toEqual([expect.objectContaining({ path: "reports.1.schedule.timezone" })]);
      if (name === "a boolean written as yes") expect(res.body.error.details).toEqual([expect.objectContaining({ path: "reports.0.isActive" })]);
    }
    expect(problems).toEqual([]);
    expect(await countRows("scheduled_reports", admin.organizationId)).toBe(0);
  });

  it("reads YAML only for a signed-in caller, and only where the API takes it", async () => {
    const admin = await newOrganization();
    const unauthenticated = await sendYaml(null, "reports: []\n");
    expectError(unauthenticated, 401);
    const elsewhere = await SELF.fetch("http://127.0.0.1:8787/api/scheduled-reports", {
      method: "POST",
      headers: { "content-type": "application/yaml", authorization: `Bearer ${admin.token}` },
      body: "name: x\n",
    });
    expect(elsewhere.status).toBe(415);
    const body = await elsewhere.json<any>();
    expect(body.error).toMatchObject({ code: "unsupported_media_type", message: "Send the request body as application/json" });
    const other = await sendYaml(admin, "reports: []\n", { type: "text/plain" });
    expectError(other, 415, "unsupported_media_type");
    expect(other.body.error.message).toBe("Send the request body as application/json or application/yaml");
  });
});
