import { defineConfig } from "vitest/config";

// Tests of the repository's own scripts (provisioning, deploy): plain Node, because they run
// wrangler as a child process against a stand-in for the Cloudflare API on 127.0.0.1.
export default defineConfig({
  test: {
    include: ["test/node/**/*.test.ts"],
    testTimeout: 600_000,
    fileParallelism: false,
  },
});
