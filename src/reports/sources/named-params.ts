/*
 * Report SQL uses named parameters (`:tenant`, `:from`), which each driver binds itself: the SQL
 * text is never built from values. This turns the names into the driver's positional markers
 * (D1 `?1`, Postgres `$1`; a name used twice gets one marker), skipping string literals, quoted
 * identifiers, comments and Postgres `::type` casts.
 */
export type Dialect = "d1" | "postgres";

export type CompiledQuery = { text: string; names: string[] };

const TOKEN = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|::|:([A-Za-z_][A-Za-z0-9_]*)/g;

export function compileNamed(sql: string, dialect: Dialect): CompiledQuery {
  const names: string[] = [];
  const text = sql.replace(TOKEN, (match, name: string | undefined) => {
    if (!name) return match;
    let index = names.indexOf(name);
    if (index < 0) index = names.push(name) - 1;
    return dialect === "d1" ? `?${index + 1}` : `$${index + 1}`;
  });
  return { text, names };
}

/** The names a query uses, in order of first use. */
export const parameterNames = (sql: string) => compileNamed(sql, "d1").names;

/** The values in marker order; a name without a value is an error (a typo would otherwise bind null). */
export function bindValues(compiled: CompiledQuery, values: Record<string, unknown>): unknown[] {
  return compiled.names.map((name) => {
    if (!Object.hasOwn(values, name)) throw new Error(`The query uses :${name}, which has no value`);
    const value = values[name];
    return value === undefined ? null : value;
  });
}
