import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      cloudflareTest({
        main: "./src/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
            LOCAL_DEV: "true",
          },
        },
      }),
    ],
    // exceljs' Node build require()s uuid, whose export map gives workerd its ES module build;
    // wrangler's bundler copes with that in production, the test runner's require does not.
    resolve: { alias: { uuid: path.join(import.meta.dirname, "node_modules/uuid/dist/index.js") } },
    test: {
      include: ["test/**/*.test.ts"],
      exclude: ["test/e2e/**"],
      setupFiles: ["./test/apply-migrations.ts"],
      // Request logs are one JSON line each: shown for failing tests only.
      silent: "passed-only",
    },
  };
});
