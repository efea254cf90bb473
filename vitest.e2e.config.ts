import { defineConfig } from "vitest/config";

// Browser tests: plain Node, Debian's Chromium driven by playwright-core, against `npm start`.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["./test/e2e/app-server.ts"],
    testTimeout: 120_000,
    hookTimeout: 200_000,
    fileParallelism: false,
  },
});
