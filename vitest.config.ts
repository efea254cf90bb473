import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
  return {
    plugins: [
      // A function, so that the bindings can point at the fake services the globalSetup started.
      cloudflareTest(({ inject }) => {
        const fake = inject("fakeServices");
        const postgresUrl = inject("postgresUrl");
        const contractUrl = inject("contractUrl");
        return {
          main: "./src/index.ts",
          wrangler: { configPath: "./wrangler.toml" },
          miniflare: {
            // The BILLING report source: PGlite started by test/support/postgres-setup.ts.
            hyperdrives: { BILLING: postgresUrl },
            bindings: {
              TEST_MIGRATIONS: migrations,
              // Where test/support/api.ts checks each answer against the OpenAPI document.
              TEST_CONTRACT_URL: contractUrl,
              JWT_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
              OPERATOR_TOKEN: "test-operator-token-that-is-long-enough-0123456789",
              LOCAL_DEV: "true",
              // Email providers, Slack, DNS checks and bounce webhooks talk to test/support/fake-services.
              // Resend stays the tests' provider (its requests are readable there); the cloudflare
              // provider is tested on its own, through the local send_email binding.
              EMAIL_PROVIDER: "resend",
              SLACK_API_URL: `${fake.url}/slack-api`,
              RESEND_API_URL: `${fake.url}/resend`,
              RESEND_API_KEY: "re_test_key",
              SENDGRID_API_URL: `${fake.url}/sendgrid`,
              SENDGRID_API_KEY: "SG.test-key",
              OUTBOUND_DNS_URL: `${fake.url}/dns-query`,
              RESEND_WEBHOOK_SECRET: "whsec_dGVzdC1yZXNlbmQtd2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc4OQ==",
              SENDGRID_WEBHOOK_PUBLIC_KEY: fake.sendgridPublicKey,
            },
          },
        };
      }),
    ],
    test: {
      include: ["test/**/*.test.ts"],
      // Browser tests and the scripts' own tests (plain Node: they spawn wrangler) have configs of their own.
      exclude: ["test/e2e/**", "test/node/**"],
      setupFiles: ["./test/apply-migrations.ts"],
      // A cold Chromium (PDF tests) or a busy two-core machine can take more than vitest's default
      // 5 s; a test asserts behaviour, and timing goals live in bench/.
      testTimeout: 30_000,
      // A real HTTP server on 127.0.0.1 playing the email providers, Slack and customers' endpoints.
      globalSetup: ["./test/support/fake-services/global-setup.ts", "./test/support/postgres-setup.ts", "./test/support/contract/global-setup.ts"],
      // Request logs are one JSON line each: shown for failing tests only.
      silent: "passed-only",
      // Tests that run reports through the real local queues leave consumers working in the
      // background; when a file's environment closes under one that is still logging, vitest
      // reports "Closing rpc while ... was pending". That is the teardown cutting off background
      // work no test is waiting for, not a failure; every other unhandled error still fails the run.
      onUnhandledError(error) {
        if (error.name === "EnvironmentTeardownError" && /Closing rpc while/.test(error.message)) return false;
      },
    },
  };
});
