/*
 * The local development routes (/api/dev/*): they exist only under LOCAL_DEV. The seed route answers
 * with the demo login, so it needs the local operator token (#23).
 */
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { newOrganization } from "./support/api";
import { OPERATOR_TOKEN } from "./support/operator";

const seed = (headers: Record<string, string> = {}, vars: Partial<Env> = {}) =>
  worker.fetch(new Request("http://127.0.0.1/api/dev/seed", { method: "POST", headers }), { ...env, ...vars } as Env, createExecutionContext());

describe("POST /api/dev/seed", () => {
  it("refuses a request without the local operator token, seeding nothing", async () => {
    const admin = await newOrganization();
    const before = await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>();
    for (const [name, headers] of [
      ["no credential", {}],
      ["a wrong token", { authorization: "Bearer not-the-operator-token-but-long-enough-0123456789" }],
      ["an admin's session", { authorization: `Bearer ${admin.token}` }],
    ] as const) {
      const res = await seed(headers);
      const body = (await res.json()) as { error?: { code: string }; login?: unknown };
      expect({ name, status: res.status, code: body.error?.code, login: body.login }).toEqual({ name, status: 401, code: "unauthorized", login: undefined });
    }
    expect(await env.DB.prepare("select count(*) as n from organizations").first<{ n: number }>()).toEqual(before);
  });

  it("does not exist outside local development, whatever the credential", async () => {
    const res = await seed({ authorization: `Bearer ${OPERATOR_TOKEN}` }, { LOCAL_DEV: "false", APP_URL: "https://reports.example.com" } as Partial<Env>);
    expect(res.status).toBe(404);
  });
});
