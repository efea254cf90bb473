import puppeteer, { type Browser } from "@cloudflare/puppeteer";
import { JobError } from "../../errors";
import { log } from "../../lib/log";

/** Browser Rendering allows few browsers per account: each isolate renders at most this many at once. */
export const MAX_CONCURRENT_RENDERS = 2;
/** An idle session stays open this long for the next report (the platform allows up to 10 min). */
const KEEP_ALIVE_MS = 5 * 60_000;

let running = 0;
const waiting: (() => void)[] = [];

async function acquireSlot() {
  while (running >= MAX_CONCURRENT_RENDERS) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
}

function releaseSlot() {
  running--;
  waiting.shift()?.();
}

/**
 * Reuses an idle Browser Rendering session when there is one (connect) rather than launching a
 * browser per report; launches a kept-alive one otherwise. Where sessions cannot be listed (older
 * local emulation), it launches and the caller closes.
 */
async function openBrowser(binding: Fetcher): Promise<{ browser: Browser; reused: boolean; keep: boolean }> {
  let listed = false;
  try {
    const sessions = await puppeteer.sessions(binding as never);
    listed = true;
    for (const s of sessions.filter((s) => !s.connectionId)) {
      try {
        return { browser: await puppeteer.connect(binding as never, s.sessionId), reused: true, keep: true };
      } catch {
        // Taken by another render in the meantime: try the next one.
      }
    }
  } catch {
    // No session listing here: launch.
  }
  return { browser: await puppeteer.launch(binding as never, { keep_alive: KEEP_ALIVE_MS }), reused: false, keep: listed };
}

/**
 * Runs `work` with a browser, within the concurrency limit; the browser stays up for reuse. Work
 * that outlives `timeoutMs` is abandoned and its browser closed, so a render that hangs cannot keep
 * a Browser Rendering slot (or, locally, a Chromium process) busy after we gave up on it.
 */
export async function withBrowser<T>(binding: Fetcher, work: (browser: Browser) => Promise<T>, timeoutMs?: number): Promise<T> {
  await acquireSlot();
  let browser: Browser | undefined;
  let keep = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const opened = await openBrowser(binding);
    browser = opened.browser;
    keep = opened.keep;
    log("debug", "browser for PDF", { reused: opened.reused, sessionId: browser.sessionId() });
    const run = work(browser);
    if (!timeoutMs) return await run;
    run.catch(() => {}); // after a timeout its own failure is not news
    return await Promise.race([
      run,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          keep = false;
          reject(new JobError("timeout", `PDF rendering took longer than ${timeoutMs / 1000} s`, true));
        }, timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    // Disconnecting (not closing) leaves the session open for the next report, where sessions
    // can be found again; otherwise the browser would only linger, so it is closed.
    await (keep ? browser?.disconnect() : browser?.close())?.catch(() => {});
    releaseSlot();
  }
}
