import type { ApiKey, CreateApiKey } from "../api.ts";

export type ApiKeyRole = ApiKey["role"];
export const API_KEY_ROLES: readonly ApiKeyRole[] = ["viewer", "editor", "admin"];
export const ROLE_HELP: Record<ApiKeyRole, string> = {
  viewer: "reads reports and history, downloads files",
  editor: "also creates reports and manages the ones it created",
  admin: "manages everything in the organization except users and keys",
};

/** Whether a key still authenticates at `now`. */
export function keyState(key: ApiKey, now: number): "active" | "revoked" | "expired" {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return "expired";
  return "active";
}

/** The body to create a key; an empty expiry means the key never expires. */
export function createKeyBody(name: string, role: ApiKeyRole, expiresAt: string | null): CreateApiKey {
  return { name: name.trim(), role, ...(expiresAt ? { expiresAt } : {}) };
}
