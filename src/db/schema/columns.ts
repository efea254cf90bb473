import { integer, text } from "drizzle-orm/sqlite-core";

/** Instants are stored as integer milliseconds since the epoch (UTC) and surface as Date. */
export const instant = (name: string) => integer(name, { mode: "timestamp_ms" });

export const id = () => text("id").primaryKey();

export const timestamps = {
  createdAt: instant("created_at").notNull(),
  updatedAt: instant("updated_at").notNull(),
};
