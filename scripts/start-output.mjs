// What `npm start` prints of wrangler's output: pure functions (the workerd tests import them,
// test/start-output.test.ts).
/**
 * One line for `wrangler d1 migrations apply`'s output, which reprints its whole table after each
 * migration (twenty-odd tables on a first start): how many were applied, first to last, or that
 * the database was up to date.
 */
export function migrationSummary(output) {
  if (/No migrations to apply/.test(output)) return "D1 migrations: up to date";
  const applied = [...new Set([...output.matchAll(/│\s*(\d{4}_[\w-]+\.sql)\s*│\s*✅/g)].map((m) => m[1]))].sort();
  if (applied.length === 0) return "D1 migrations: none applied";
  const range = applied.length === 1 ? applied[0] : `${applied[0]} … ${applied.at(-1)}`;
  return `D1 migrations: applied ${applied.length} (${range})`;
}

/**
 * Lines of `wrangler dev`'s output that `npm start` does not pass on, because they are wrong for it:
 * wrangler's note that cron triggers do not fire locally (npm start fires them every minute) with
 * its curl line, and, offline, the stack traces of its requests to Cloudflare (the update check,
 * workers.cloudflare.com) that fail without a network and change nothing locally.
 */
export function createDevOutputFilter() {
  let hint = false;
  let inTrace = false;
  return (line) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal colour codes are what it removes
    const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
    if (/Scheduled Workers are not automatically triggered during local development/.test(plain)) {
      hint = true; // up to its docs link
      return false;
    }
    if (hint) {
      if (/For more details, see/.test(plain)) hint = false;
      return false;
    }
    // Offline: "Error: getaddrinfo ENOTFOUND workers.cloudflare.com" and its frames, after
    // wrangler's own one-line warning (kept) that request.cf falls back to a placeholder.
    if (
      /(workers\.cloudflare\.com|registry\.npmjs\.org|api\.cloudflare\.com)/.test(plain) &&
      /(fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|getaddrinfo)/i.test(plain)
    ) {
      inTrace = true;
      return false;
    }
    if (inTrace) {
      if (/^\s+at\s|^\s*\[cause\]|^\s*(errno|code|syscall|hostname|cause):|^\s*[{}],?\s*$/.test(plain)) return false;
      inTrace = false;
    }
    return true;
  };
}
