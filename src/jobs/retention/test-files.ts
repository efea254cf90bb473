import { pruneTestSendsStatement } from "../../domain/test-sends";
import { TEST_FILES_PREFIX } from "../../storage/keys";
import { TEST_FILE_LINK_TTL_SECONDS } from "../../storage/links";

/** Objects listed a page (R2's most), and pages a pass reads at most: what is left waits for the next pass. */
const PAGE = 1000;
const PAGES = 20;

/**
 * Deletes the sample files of test sends whose links have run out (uploaded more than the link's
 * 24 hours ago), and forgets test sends older than a day (the per-address count needs one hour) and
 * sign-up requests a day past their expiry.
 * Test files have no row in D1, so they are found by listing their prefix; bounded per pass.
 */
export async function expireTestFiles(env: Env, now: Date): Promise<{ deleted: number; finished: boolean }> {
  const before = now.getTime() - TEST_FILE_LINK_TTL_SECONDS * 1000;
  let deleted = 0;
  let cursor: string | undefined;
  await pruneTestSendsStatement(env.DB, now).run();
  // Sign-up requests a day past their link's expiry (the 15-minute cool-down reads only recent ones).
  await env.DB.prepare("delete from signup_requests where expires_at < ?1")
    .bind(now.getTime() - 24 * 3600_000)
    .run();
  for (let page = 0; page < PAGES; page++) {
    const listed = await env.REPORTS.list({ prefix: TEST_FILES_PREFIX, limit: PAGE, ...(cursor ? { cursor } : {}) });
    const old = listed.objects.filter((o) => o.uploaded.getTime() < before).map((o) => o.key);
    if (old.length) await env.REPORTS.delete(old);
    deleted += old.length;
    if (!listed.truncated) return { deleted, finished: true };
    cursor = listed.cursor;
  }
  return { deleted, finished: false };
}
