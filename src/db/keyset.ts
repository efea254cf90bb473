import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { ListCursor } from "../lib/cursor";

/** Rows strictly after the cursor in (created_at desc, id desc) order. */
export function olderThan(createdAt: SQLiteColumn, id: SQLiteColumn, cursor: ListCursor | null): SQL | undefined {
  if (!cursor) return undefined;
  const at = new Date(cursor.createdAt);
  return or(lt(createdAt, at), and(eq(createdAt, at), lt(id, cursor.id)));
}
