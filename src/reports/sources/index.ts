import { d1Source } from "./d1";
import { postgresSource } from "./postgres";
import type { DataSource, SourceKind } from "./types";

/** Which database a report type reads: its kind and its binding's name in wrangler.toml. */
export type SourceRef = { kind: SourceKind; name: string };

const isD1 = (b: unknown): b is D1Database => typeof b === "object" && b !== null && "prepare" in b && "withSession" in b;
const isHyperdrive = (b: unknown): b is Hyperdrive => typeof b === "object" && b !== null && "connectionString" in b;

/**
 * The source behind a binding, or null when this deployment does not have it (a Postgres source is
 * optional: without its `[[hyperdrive]]` binding the app runs, and report types on it are not offered).
 */
export function dataSource(env: Env, ref: SourceRef): DataSource | null {
  const binding = (env as unknown as Record<string, unknown>)[ref.name];
  if (ref.kind === "d1") return isD1(binding) ? d1Source(ref.name, binding) : null;
  return isHyperdrive(binding) ? postgresSource(ref.name, binding) : null;
}
