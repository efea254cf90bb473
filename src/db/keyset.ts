import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ListCursor } from "../lib/cursor";

/** Rows strictly after the cursor in (time desc, id desc) order; `time` is the list's order column. */
export function olderThan(time: SQLiteColumn, id: SQLiteColumn, cursor: ListCursor | null): SQL | undefined {
  if (!cursor) return undefined;
  const at = new Date(cursor.at);
  return or(lt(time, at), and(eq(time, at), lt(id, cursor.id)));
}

/** Rows strictly after the cursor in (time asc, id asc) order. */
export function newerThan(time: SQLiteColumn, id: SQLiteColumn, cursor: ListCursor | null): SQL | undefined {
  if (!cursor) return undefined;
  const at = new Date(cursor.at);
  return or(gt(time, at), and(eq(time, at), gt(id, cursor.id)));
}
