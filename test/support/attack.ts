/*
 * Shared by the attack corpus (test/attack-*.test.ts): the API's operations as the OpenAPI document
 * lists them, the access contract of each (a small explicit table, because roles are not in the
 * document), a seeded organization whose objects the attacks target, and a fingerprint of everything
 * stored, to prove that a refused request wrote nothing.
 */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { auditArchiveKey } from "../../src/storage/keys";
import committed from "../../web/src/lib/api/openapi.json";
import { api, newMember, newOrganization, PASSWORD, type TestUser, unique } from "./api";
import { createReport, reportBody } from "./factories";
import { OPERATOR_TOKEN } from "./operator";
import { insertDelivery, insertExecution } from "./pipeline";

/* ---------- the operations ---------- */

type OpenApiOperation = {
  security?: Record<string, string[]>[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  parameters?: { name: string; in: string }[];
};
export type Schema = { type?: string | string[]; $ref?: string; properties?: Record<string, Schema>; anyOf?: Schema[]; oneOf?: Schema[] };

export type Operation = {
  /** "PATCH /users/{id}", as in the contract table. */
  key: string;
  method: string;
  path: string;
  security: "Bearer" | "OperatorToken" | "none";
  jsonBody: Schema | null;
};

/** The document the dashboard's client is generated from; test/openapi-client.test.ts proves it is the one served. */
export const openapi = committed as unknown as { paths: Record<string, Record<string, OpenApiOperation>>; components: { schemas: Record<string, Schema> } };

export const operations: Operation[] = Object.entries(openapi.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({
    key: `${method.toUpperCase()} ${path}`,
    method: method.toUpperCase(),
    path,
    security: (op.security?.[0] ? Object.keys(op.security[0])[0] : "none") as Operation["security"],
    jsonBody: op.requestBody?.content["application/json"]?.schema ?? null,
  })),
);

/** A schema with its $ref followed. */
export function resolve(schema: Schema): Schema {
  if (!schema.$ref) return schema;
  return resolve(openapi.components.schemas[schema.$ref.replace("#/components/schemas/", "")]!);
}

/* ---------- the access contract ---------- */

type IdKind = "report" | "execution" | "user" | "apiKey" | "delivery" | "deadLetter" | "outbox" | "reportType" | "organization" | "provider" | "auditArchive";

export type Contract = {
  /**
   * any / editor / admin: the least role that may call it; owner: an editor for the reports it
   * created, or an admin; public: no credential at all; operator: the operator token; link: the
   * signed download link; signature: the email provider's webhook signature.
   */
  role: "public" | "any" | "editor" | "owner" | "admin" | "operator" | "link" | "signature";
  /** Only a person's session, never an API key (users, API keys, one's own session). */
  person?: true;
  /** What the path's {id} names; objects of the organization are looked up in its scope (another's is 404). */
  id?: IdKind;
  /** A body that passes validation, so that a refusal is the access check's and not the validator's. */
  body?: (f: Fixture) => unknown;
};

const report = () => reportBody({ recipients: [] });

/**
 * Every operation of the document, and who may call it (docs/http-contract.md). A new operation
 * without an entry here fails the corpus: decide its contract and add it.
 */
export const CONTRACT: Record<string, Contract> = {
  "GET /health": { role: "public" },
  "GET /openapi.json": { role: "public" },
  "POST /auth/signup": {
    role: "public",
    body: () => ({ email: `${unique("attack")}@example.com`, password: PASSWORD, name: "A", organizationName: "Attack" }),
  },
  "POST /auth/login": { role: "public", body: () => ({ email: `${unique("attack")}@example.com`, password: PASSWORD }) },
  "POST /auth/signup/confirm": { role: "public", body: () => ({ token: "a".repeat(43) }) },
  "POST /auth/invitations/accept": { role: "public", body: () => ({ token: "a".repeat(43), password: PASSWORD }) },
  "POST /auth/logout": { role: "any", person: true },
  "POST /auth/password": { role: "any", person: true, body: () => ({ currentPassword: "not-the-password", newPassword: `${PASSWORD}-new` }) },
  "POST /auth/password-reset": { role: "public", body: () => ({ email: `${unique("attack")}@example.com` }) },
  "POST /auth/password-reset/confirm": { role: "public", body: () => ({ token: "a".repeat(43), newPassword: `${PASSWORD}-new` }) },
  "GET /me": { role: "any", person: true },
  "GET /users": { role: "admin", person: true },
  "POST /users": { role: "admin", person: true, body: () => ({ email: `${unique("attack")}@example.com`, name: "A", role: "viewer" }) },
  "PATCH /users/{id}": { role: "admin", person: true, id: "user", body: () => ({ name: "Renamed" }) },
  "DELETE /users/{id}": { role: "admin", person: true, id: "user" },
  "GET /api-keys": { role: "admin", person: true },
  "POST /api-keys": { role: "admin", person: true, body: () => ({ name: "attack", role: "viewer" }) },
  "DELETE /api-keys/{id}": { role: "admin", person: true, id: "apiKey" },
  "GET /report-types": { role: "any" },
  "POST /report-types/{id}/preview": { role: "any", id: "reportType", body: () => ({}) },
  "GET /scheduled-reports/export": { role: "any" },
  "POST /scheduled-reports/apply": { role: "admin", body: () => ({ reports: [] }) },
  "POST /scheduled-reports": { role: "editor", body: report },
  "GET /scheduled-reports": { role: "any" },
  "GET /scheduled-reports/{id}": { role: "any", id: "report" },
  "PATCH /scheduled-reports/{id}": { role: "owner", id: "report", body: () => ({ name: "Renamed" }) },
  "DELETE /scheduled-reports/{id}": { role: "owner", id: "report" },
  "POST /scheduled-reports/{id}/pause": { role: "owner", id: "report" },
  "POST /scheduled-reports/{id}/resume": { role: "owner", id: "report" },
  "POST /scheduled-reports/{id}/run": { role: "owner", id: "report" },
  "POST /scheduled-reports/{id}/trigger": { role: "editor", id: "report", body: () => ({}) },
  "GET /scheduled-reports/{id}/executions": { role: "any", id: "report" },
  "POST /schedules/preview": { role: "any", body: () => ({ schedule: { cron: "0 9 * * 1", timezone: "UTC" } }) },
  "GET /executions": { role: "any" },
  "GET /executions/{id}": { role: "any", id: "execution" },
  "POST /executions/{id}/retry": { role: "owner", id: "execution" },
  "POST /executions/{id}/cancel": { role: "owner", id: "execution" },
  "POST /executions/{id}/pin": { role: "admin", id: "execution" },
  "POST /executions/{id}/unpin": { role: "admin", id: "execution" },
  "GET /executions/{id}/download": { role: "any", id: "execution" },
  "GET /files/{token}": { role: "link" },
  "POST /files": { role: "link", body: () => ({ token: "not-a-link" }) },
  "GET /audit-events": { role: "admin" },
  "GET /audit/archives": { role: "admin" },
  "GET /audit/archives/{day}": { role: "admin", id: "auditArchive" },
  "GET /settings": { role: "any" },
  "PATCH /settings": { role: "admin", body: () => ({ emailSenderName: "Attack" }) },
  "POST /settings/sample-data": { role: "admin" },
  "GET /settings/quotas": { role: "admin" },
  "GET /settings/alert-routes": { role: "any" },
  "PATCH /settings/alert-routes": { role: "admin", body: () => ({ emailAdmins: false }) },
  "GET /settings/webhook-secret": { role: "admin" },
  "POST /settings/webhook-secret/rotate": { role: "admin" },
  "GET /settings/slack": { role: "any" },
  "PUT /settings/slack": { role: "admin", body: () => ({ botToken: "xoxb-attack-0000" }) },
  "DELETE /settings/slack": { role: "admin" },
  "GET /deliveries/{id}": { role: "any", id: "delivery" },
  "GET /dead-letters": { role: "admin" },
  "POST /dead-letters/{id}/replay": { role: "admin", id: "deadLetter" },
  "POST /recipients/test": { role: "editor", body: () => ({ type: "email", value: "attack@example.com" }) },
  "GET /outbox": { role: "admin" },
  "GET /outbox/{id}": { role: "admin", id: "outbox" },
  "GET /outbox/{id}/attachment": { role: "admin", id: "outbox" },
  "POST /email/bounces/{provider}": { role: "signature", id: "provider", body: () => [] },
  "GET /metrics": { role: "any" },
  "GET /metrics/series": { role: "any" },
  "GET /alerts": { role: "any" },
  "POST /operator/organizations": { role: "operator", body: () => ({ name: "Attack", admin: { email: `${unique("attack")}@example.com`, name: "A" } }) },
  "GET /operator/organizations": { role: "operator" },
  "GET /operator/alerts": { role: "operator" },
  "PATCH /operator/organizations/{id}": { role: "operator", id: "organization", body: () => ({ name: "Renamed" }) },
  "GET /operator/organizations/{id}/quotas": { role: "operator", id: "organization" },
  "PUT /operator/organizations/{id}/quotas": { role: "operator", id: "organization", body: () => ({ emailsPerDay: 1 }) },
};

export const contractOf = (op: Operation) => CONTRACT[op.key];

/* ---------- the organization under attack ---------- */

export type Fixture = Awaited<ReturnType<typeof seedVictim>>;

/**
 * An organization with one object of every kind a path can name (a report, a completed run with
 * its file, a delivery, a member, an API key, a dead letter, an outbox message, an audit archive), its admin, an
 * editor and a viewer, a revoked admin API key, and a second organization whose admin attacks it.
 */
export async function seedVictim() {
  const admin = await newOrganization();
  const editor = await newMember(admin, "editor");
  const viewer = await newMember(admin, "viewer");
  const member = await newMember(admin, "viewer");
  const other = await newOrganization();
  // Run by a data-ready trigger, so that a trigger's parameters are checked (a report on a clock refuses triggers first).
  const report = await createReport(admin, { recipients: [], schedule: { trigger: "event", timezone: "UTC" } });
  const fileKey = `${admin.organizationId}/${report.id}/${crypto.randomUUID()}/file.csv`;
  await env.REPORTS.put(fileKey, "a,b\r\n1,2\r\n");
  const execution = await insertExecution(admin, report.id, {
    status: "completed",
    fileKey,
    fileName: "file.csv",
    fileSize: 10,
    startedAt: new Date(),
    completedAt: new Date(),
    triggeredBy: admin.userId,
  });
  const delivery = await insertDelivery(admin, execution.id);
  const key = async (name: string) => {
    const created = await api("/api/api-keys", { token: admin.token, body: { name, role: "admin" } });
    expect(created.status).toBe(201);
    return created.body as { apiKey: { id: string }; secret: string };
  };
  const apiKey = await key("attack-target");
  const revoked = await key("attack-revoked");
  expect((await api(`/api/api-keys/${revoked.apiKey.id}`, { method: "DELETE", token: admin.token })).status).toBe(204);
  // The live key's first use is audited once; later uses only move its last-used minute (masked below).
  expect((await api("/api/report-types", { token: apiKey.secret })).status).toBe(200);
  const deadLetterId = crypto.randomUUID();
  const now = Date.now();
  await env.DB.prepare(
    `insert into dead_letters (id, queue, message_id, organization_id, execution_id, body, reason, attempts, created_at)
     values (?1, 'report-generation-dlq', ?2, ?3, ?4, '{}', 'attack fixture', 4, ?5)`,
  )
    .bind(deadLetterId, crypto.randomUUID(), admin.organizationId, execution.id, now)
    .run();
  const outboxId = crypto.randomUUID();
  await env.DB.prepare(
    `insert into outbox_messages (id, organization_id, idempotency_key, from_address, to_address, subject, text, html, created_at)
     values (?1, ?2, ?3, 'reports@example.com', 'ops@example.com', 'Attack fixture', 'text', '<p>html</p>', ?4)`,
  )
    .bind(outboxId, admin.organizationId, crypto.randomUUID(), now)
    .run();
  // A day of audit events retention archived to R2.
  const archiveDay = "2025-01-31";
  await env.REPORTS.put(auditArchiveKey(admin.organizationId, archiveDay), `{"id":"e1","type":"auth.login"}\n`, { customMetadata: { events: "1" } });
  // Reads that create rows on first use (the usage counters) happen now, not during an attack.
  for (const user of [admin, other]) expect((await api("/api/settings/quotas", { token: user.token })).status).toBe(200);
  const ids: Record<IdKind, string> = {
    report: report.id,
    execution: execution.id,
    user: member.userId,
    apiKey: apiKey.apiKey.id,
    delivery: delivery.id,
    deadLetter: deadLetterId,
    outbox: outboxId,
    reportType: "sales_summary",
    organization: admin.organizationId,
    provider: "resend",
    auditArchive: archiveDay,
  };
  return { admin, editor, viewer, member, other, ids, apiKeySecret: apiKey.secret, revokedKeySecret: revoked.secret, fileKey };
}

/** The operation's path with its parameters filled from the fixture, under /api. */
export function pathOf(op: Operation, f: Fixture) {
  const kind = contractOf(op)?.id;
  return `/api${op.path.replace(/\{(id|token|provider|day)\}/, () => (kind ? f.ids[kind] : "none"))}`;
}

/* ---------- what is stored ---------- */

/** Columns that a refused request may still move: an API key's last-used minute (its use is recorded, refused or not). */
const MASKED = new Set(["api_keys.last_used_at"]);

/**
 * Everything stored for these organizations (every row of every table with an organization_id,
 * their organization rows and their users' sessions), the row count of every table, and the report
 * files' keys: equal before and after means nothing was written.
 */
export async function fingerprint(organizationIds: string[]) {
  const orgs = JSON.stringify(organizationIds);
  const tables = await storedTables();
  const scoped = tables.filter((t) => t.where);
  const [counts, ...rows] = await env.DB.batch([
    env.DB.prepare(`select ${tables.map((t) => `(select count(*) from "${t.name}") as "${t.name}"`).join(", ")}`),
    ...scoped.map((t) => env.DB.prepare(`select * from "${t.name}" where ${t.where} order by rowid`).bind(orgs)),
  ]);
  const out: Record<string, unknown> = { counts: counts!.results[0] };
  scoped.forEach((t, i) => {
    out[t.name] = (rows[i]!.results as Record<string, unknown>[]).map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, MASKED.has(`${t.name}.${k}`) ? "(masked)" : v])),
    );
  });
  for (const id of organizationIds) out[`r2:${id}`] = (await env.REPORTS.list({ prefix: `${id}/` })).objects.map((o) => o.key);
  return out;
}

let tableList: Promise<{ name: string; where: string | null }[]> | undefined;

/** Every table, and how to pick the rows of some organizations from it (null: only counted). */
function storedTables() {
  tableList ??= (async () => {
    const { results } = await env.DB.prepare(
      `select m.name, exists (select 1 from pragma_table_info(m.name) c where c.name = 'organization_id') as scoped
         from sqlite_master m where m.type = 'table' and m.name not like 'sqlite_%' and m.name not like '_cf_%' and m.name not like 'd1_%' order by m.name`,
    ).all<{ name: string; scoped: number }>();
    const ofOrgs = "(select value from json_each(?1))";
    return results.map(({ name, scoped }) => ({
      name,
      where: scoped
        ? `organization_id in ${ofOrgs}`
        : name === "organizations"
          ? `id in ${ofOrgs}`
          : name === "sessions"
            ? `user_id in (select id from users where organization_id in ${ofOrgs})`
            : null,
    }));
  })();
  return tableList;
}

/* ---------- answers ---------- */

const ERROR_KEYS = new Set(["code", "message", "details", "requestId"]);

/** A response in the one error envelope, with this status (and code, when given); a description of what differs otherwise. */
export async function envelopeProblem(res: Response, status: number, code?: string): Promise<string | null> {
  const text = await res.text();
  if (res.status !== status) return `expected ${status}${code ? ` ${code}` : ""}, got ${res.status} ${text.slice(0, 200)}`;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return `not JSON: ${text.slice(0, 200)}`;
  }
  const error = body?.error;
  if (!error || Object.keys(body).length !== 1 || typeof error.code !== "string" || typeof error.message !== "string" || typeof error.requestId !== "string") {
    return `not the error envelope: ${text.slice(0, 200)}`;
  }
  if (Object.keys(error).some((k) => !ERROR_KEYS.has(k))) return `unexpected fields in the envelope: ${text.slice(0, 200)}`;
  if (code && error.code !== code) return `expected code ${code}, got ${error.code}`;
  if (error.requestId !== res.headers.get("x-request-id")) return "requestId differs from X-Request-Id";
  return null;
}

export { OPERATOR_TOKEN, type TestUser };
