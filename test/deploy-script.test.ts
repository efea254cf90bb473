import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import { createdId, deployProblems, deploySteps, isPlaceholderId, productionConfig, queueNames, refusal } from "../scripts/deploy-config.mjs";
import web from "../web/package.json";

describe("npm run deploy", () => {
  it("builds the dashboard, with its security headers, before the Worker that serves it is deployed", () => {
    // wrangler deploy uploads web/build as the Worker's assets: built first, never stale or missing
    // (the order is scripts/deploy-config.mjs's deploySteps, tested below).
    expect(pkg.scripts.deploy).toBe("node scripts/deploy.mjs");
    expect(deploySteps("wrangler.toml")[0]).toEqual(["npm", ["run", "build", "-w", "web"]]);
    // The dashboard's build writes the _headers file with its Content-Security-Policy and frame-ancestors.
    expect(web.scripts.build).toMatch(/&& node \.\.\/scripts\/write-security-headers\.mjs$/);
  });
});

const tracked = {
  vars: { APP_URL: "http://127.0.0.1:8787", EMAIL_FROM: "reports@example.com", OPERATOR_EMAIL: "", SIGNUP: "open", LOCAL_DEV: "false" },
  d1_databases: [{ binding: "DB", database_name: "scheduled-reports", database_id: "00000000-0000-0000-0000-000000000000" }],
  hyperdrive: [{ binding: "BILLING", id: "00000000000000000000000000000000" }],
  kv_namespaces: [{ binding: "CACHE", id: "00000000000000000000000000000000" }],
  ratelimits: [
    { name: "AUTH_LIMITER", namespace_id: "1001" },
    { name: "API_LIMITER", namespace_id: "1002" },
  ],
};
const ready = {
  ...tracked,
  vars: {
    APP_URL: "https://reports.acme-corp.dev",
    EMAIL_FROM: "Reports <reports@acme-corp.dev>",
    OPERATOR_EMAIL: "ops@acme-corp.dev",
    SIGNUP: "closed",
    LOCAL_DEV: "false",
  },
  d1_databases: [{ binding: "DB", database_name: "scheduled-reports", database_id: "32e6a419-9c80-4325-bafa-c091420cafe1" }],
  hyperdrive: [{ binding: "BILLING", id: "e02aa78cbd2a41b1a99927e38be1ae05" }],
  kv_namespaces: [],
};

describe("npm run deploy refuses what would deploy and then fail", () => {
  it("lists every problem of the tracked configuration in one message", () => {
    const problems = deployProblems(tracked);
    expect(problems.map((p) => p.split(/[ :]/)[0])).toEqual(["D1", "Hyperdrive", "KV", "APP_URL", "EMAIL_FROM", "OPERATOR_EMAIL", "SIGNUP"]);
    const message = refusal("wrangler.toml", problems);
    expect(message.split("\n")[0]).toBe("npm run deploy refused: 7 problems in wrangler.toml:");
    expect(message.split("\n").filter((l) => l.startsWith("  - "))).toHaveLength(7);
  });

  it("accepts a configured deployment, and open sign-up only with --public", () => {
    expect(deployProblems(ready)).toEqual([]);
    const open = { ...ready, vars: { ...ready.vars, SIGNUP: "open" } };
    expect(deployProblems(open)).toEqual([expect.stringMatching(/^SIGNUP is "open".*--public/)]);
    expect(deployProblems(open, { public: true })).toEqual([]);
  });

  it.each([
    ["http://localhost:8787", /points at this machine/],
    ["https://127.0.0.2", /points at this machine/],
    ["https://[::1]:8443", /points at this machine/],
    ["https://app.localhost", /points at this machine/],
    ["http://0.0.0.0:8787", /points at this machine/],
    ["not a url", /is not a URL/],
    ["", /APP_URL is not set/],
    ["http://reports.acme-corp.dev", /is not https/],
  ])("refuses APP_URL %s", (appUrl, reason) => {
    expect(deployProblems({ ...ready, vars: { ...ready.vars, APP_URL: appUrl } })).toEqual([expect.stringMatching(reason)]);
  });

  it.each(["reports@example.com", "a@mail.example.org", "Reports <x@example.net>", "x@shop.test", "nobody"])("refuses the sender %s", (from) => {
    expect(deployProblems({ ...ready, vars: { ...ready.vars, EMAIL_FROM: from } })).toEqual([expect.stringMatching(/^EMAIL_FROM/)]);
  });

  it("refuses placeholder ids of every kind (all zeros, empty, missing), an empty OPERATOR_EMAIL, LOCAL_DEV on and shared rate-limit namespaces", () => {
    expect(isPlaceholderId("00000000-0000-0000-0000-000000000000")).toBe(true);
    expect(isPlaceholderId("")).toBe(true);
    expect(isPlaceholderId(undefined)).toBe(true);
    expect(isPlaceholderId("e02aa78cbd2a41b1a99927e38be1ae05")).toBe(false);
    const problems = deployProblems({
      ...ready,
      vars: { ...ready.vars, OPERATOR_EMAIL: "  ", LOCAL_DEV: "true" },
      d1_databases: [{ binding: "DB", database_name: "x" }],
      ratelimits: [
        { name: "AUTH_LIMITER", namespace_id: "1001" },
        { name: "API_LIMITER", namespace_id: 1001 },
      ],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^D1 database DB: database_id is the placeholder/),
      expect.stringMatching(/^OPERATOR_EMAIL is empty/),
      expect.stringMatching(/^LOCAL_DEV is "true"/),
      expect.stringMatching(/^Rate limits AUTH_LIMITER and API_LIMITER share namespace_id 1001.*unique in the account/),
    ]);
  });

  it("applies the remote migrations after building the dashboard and before deploying the code that needs them", () => {
    expect(deploySteps("wrangler.production.jsonc").map(([cmd, args]) => [cmd, ...args].join(" "))).toEqual([
      "npm run build -w web",
      "wrangler d1 migrations apply DB --remote --config wrangler.production.jsonc",
      "wrangler deploy --config wrangler.production.jsonc",
    ]);
  });
});

describe("npm run setup:cloudflare writes the production configuration", () => {
  it("puts the created ids and the answers in, drops an unused Hyperdrive, and numbers the rate limits from the chosen base", () => {
    const answers = {
      d1Id: "32e6a419-9c80-4325-bafa-c091420cafe1",
      appUrl: "https://r.acme-corp.dev",
      emailFrom: "r@acme-corp.dev",
      operatorEmail: "o@acme-corp.dev",
      ratelimitBase: 5001,
    };
    const config = productionConfig({ ...tracked, kv_namespaces: [] }, answers);
    expect(config.d1_databases[0].database_id).toBe(answers.d1Id);
    expect(config.hyperdrive).toBeUndefined();
    expect(config.vars.SIGNUP).toBe("closed");
    expect(config.ratelimits.map((r: { namespace_id: string }) => r.namespace_id)).toEqual(["5001", "5002"]);
    expect(deployProblems(config)).toEqual([]);
    // The tracked configuration is left as it was.
    expect(tracked.d1_databases[0]?.database_id).toBe("00000000-0000-0000-0000-000000000000");
    expect(productionConfig(tracked, { ...answers, hyperdriveId: "e02aa78cbd2a41b1a99927e38be1ae05" }).hyperdrive).toEqual([
      { binding: "BILLING", id: "e02aa78cbd2a41b1a99927e38be1ae05" },
    ]);
  });

  it("reads the ids wrangler prints when it creates a database or a Hyperdrive", () => {
    expect(createdId('{\n "d1_databases": [{ "binding": "x", "database_id": "32e6a419-9c80-4325-bafa-c091420cafe1" }]', "d1")).toBe(
      "32e6a419-9c80-4325-bafa-c091420cafe1",
    );
    expect(createdId('database_id = "32e6a419-9c80-4325-bafa-c091420cafe1"', "d1")).toBe("32e6a419-9c80-4325-bafa-c091420cafe1");
    expect(createdId('"hyperdrive": [{ "binding": "HYPERDRIVE", "id": "e02aa78cbd2a41b1a99927e38be1ae05" }]', "hyperdrive")).toBe(
      "e02aa78cbd2a41b1a99927e38be1ae05",
    );
    expect(createdId("✘ [ERROR] A request to the Cloudflare API failed.", "d1")).toBeNull();
  });

  it("creates every queue the configuration names, dead letter queues included, once each", () => {
    const queues = {
      producers: [{ queue: "a" }, { queue: "b" }],
      consumers: [{ queue: "a", dead_letter_queue: "a-dlq" }, { queue: "b", dead_letter_queue: "a-dlq" }, { queue: "a-dlq" }],
    };
    expect(queueNames({ queues })).toEqual(["a", "b", "a-dlq"]);
  });
});
