import { defineConfig } from "vitest/config";

// Browser tests: plain Node, Debian's Chromium driven by playwright-core, against `npm start`.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["./test/e2e/app-server.ts"],
    testTimeout: 120_000,
    hookTimeout: 200_000,
    fileParallelism: false,
    // A poll that waits for the app's answer: 1 s (vitest's default) is short for a request on a
    // loaded machine. A poll that should hold at once fails the same way after 15 s.
    expect: { poll: { timeout: 15_000 } },
  },
});
