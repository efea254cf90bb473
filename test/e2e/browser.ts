import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

/** Screenshots of every page, saved (not committed) for people to look at. */
const shots = path.join(import.meta.dirname, "..", "..", "screenshots");
mkdirSync(shots, { recursive: true });
export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });

/** The wizard's parameters step has loaded its preview (rows, or the sentence that there are none). */
export const waitForPreview = (page: Page) =>
  page
    .getByText(/No rows (for|match|in) |has no data in the app.s database yet|Preview appears/)
    .first()
    .waitFor({ timeout: 10_000 });

/** Debian's Chromium, headless; nothing here may download a browser or reach the network. */
export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
