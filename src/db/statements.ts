/**
 * drizzle's D1 batch cannot bind raw `sql` queries that carry parameters, so batches that mix
 * builders with raw SQL go to D1 directly: builders are turned into prepared statements here.
 */
export function toStatement(d1: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
  const { sql, params } = query.toSQL();
  return d1.prepare(sql).bind(...params);
}
