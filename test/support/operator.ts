import { expect } from "vitest";
import { api } from "./api";

export const OPERATOR_TOKEN = "test-operator-token-that-is-long-enough-0123456789";

/** Calls the operator API with the operator token (or another token, or none with null). */
export const operatorApi = (path: string, opts: { method?: string; body?: unknown; token?: string | null } = {}) =>
  api(`/api/operator${path}`, {
    method: opts.method,
    body: opts.body,
    headers: opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? OPERATOR_TOKEN}` },
  });

/** Overrides some of an organization's quotas, as the operator. */
export async function setQuotas(organizationId: string, overrides: Record<string, number | null>) {
  const res = await operatorApi(`/organizations/${organizationId}/quotas`, { method: "PUT", body: overrides });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
