// The emails the app kept in its local outbox (EMAIL_PROVIDER=outbox under npm start), read from its
// D1 state as a person would read their mailbox: sign-up confirmations are sent to no organization,
// so no API session can read them.
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { inject } from "vitest";

function databaseFile(): string {
  const dir = path.join(inject("stateDir"), "v3", "d1", "miniflare-D1DatabaseObject");
  const [file] = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (!file) throw new Error(`no local D1 database under ${dir}`);
  return path.join(dir, file);
}

/**
 * The newest link to `linkPath` (for example "/signup/confirm") emailed to `to`; waits up to 60 s for
 * it to arrive. Its own wait, not expect.poll: it is called from beforeAll too, where expect.poll is
 * not available.
 */
export async function emailedLink(to: string, linkPath: string): Promise<string> {
  const pattern = new RegExp(`https?://\\S+${linkPath.replace(/\//g, "\\/")}\\?token=[A-Za-z0-9_%-]+`);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const db = new DatabaseSync(databaseFile(), { readOnly: true });
    let link: string | undefined;
    try {
      const rows = db.prepare("select text from outbox_messages where to_address = ? order by created_at desc").all(to) as { text: string }[];
      link = rows.map((r) => pattern.exec(r.text)?.[0]).find((l) => l);
    } finally {
      db.close();
    }
    if (link) return link;
    if (Date.now() > deadline) throw new Error(`no email to ${to} with a ${linkPath} link within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
