/**
 * Runs a D1 batch given as named statements, in the order they are written (a batch runs its
 * statements one after another, in one transaction), and answers with each result under its name:
 * a reader never counts positions to know which result is which.
 */
export async function namedBatch<K extends string>(d1: D1Database, statements: Record<K, D1PreparedStatement>): Promise<Record<K, D1Result>> {
  const names = Object.keys(statements) as K[];
  const results = await d1.batch(names.map((name) => statements[name]));
  return Object.fromEntries(names.map((name, i) => [name, results[i]])) as Record<K, D1Result>;
}
