import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { organizations, users } from "./accounts";
import { instant, timestamps } from "./columns";

/**
 * The organization's Slack app: one bot token, sealed with AES-GCM under a key derived from the
 * root secret (src/lib/sealed.ts), bound to the organization. Only the workspace it belongs to is
 * ever shown; the token itself never leaves the server.
 */
export const slackConnections = sqliteTable("slack_connections", {
  organizationId: text("organization_id")
    .primaryKey()
    .references(() => organizations.id, { onDelete: "cascade" }),
  teamId: text("team_id").notNull(),
  teamName: text("team_name").notNull(),
  /** The bot's user name (auth.test `user`), for "invite @bot" messages. */
  botUser: text("bot_user"),
  /** `v2.<key id>.<iv>.<ciphertext>` (base64url; older rows `v1.<iv>.<ciphertext>`), see src/lib/sealed.ts. */
  sealedToken: text("sealed_token").notNull(),
  connectedBy: text("connected_by").references(() => users.id, { onDelete: "set null" }),
  connectedAt: instant("connected_at").notNull(),
  ...timestamps,
});
