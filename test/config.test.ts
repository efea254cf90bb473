import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ConfigError, config } from "../src/config";
import worker from "../src/index";
import { toBase64Url } from "../src/lib/base64";
import { newOrganization } from "./support/api";
import { createReport } from "./support/factories";
import { executionsOf, setNextRun } from "./support/pipeline";

/** A fresh env object (config is cached per object) with these variables changed. */
const configWith = (vars: Record<string, string | undefined>) => () => config({ ...env, ...vars } as Env);

describe("APP_URL", () => {
  it("defaults to the local address in local development only", () => {
    expect(configWith({ LOCAL_DEV: "true", APP_URL: undefined })().appUrl).toBe("http://127.0.0.1:8787");
    expect(configWith({ LOCAL_DEV: "true", APP_URL: "" })().appUrl).toBe("http://127.0.0.1:8787");
    expect(configWith({ LOCAL_DEV: "true", APP_URL: "http://localhost:5173/" })().appUrl).toBe("http://localhost:5173");
  });

  it("must be set outside local development, with an error naming it", () => {
    for (const unset of [undefined, ""]) {
      const build = configWith({ LOCAL_DEV: "false", APP_URL: unset });
      expect(build).toThrow(ConfigError);
      expect(build).toThrow(/APP_URL is not set; set it to the dashboard's public https address/);
    }
  });

  it("must not point at this machine outside local development", () => {
    for (const local of [
      "http://127.0.0.1:8787",
      "https://localhost",
      "https://app.localhost",
      "http://[::1]:8787",
      "https://127.1.2.3",
      "http://0.0.0.0:8787",
    ]) {
      expect(configWith({ LOCAL_DEV: "false", APP_URL: local }), local).toThrow(/APP_URL points at .*, this machine, outside local development/);
    }
  });

  it("is taken as given (without a trailing slash) when it is a real address", () => {
    expect(configWith({ LOCAL_DEV: "false", APP_URL: "https://reports.example.com/" })().appUrl).toBe("https://reports.example.com");
    expect(configWith({ LOCAL_DEV: "false", APP_URL: "not a url" })).toThrow(/APP_URL/);
  });

  it("keeps wrangler.toml's local value usable for development (the tests run with LOCAL_DEV=true)", () => {
    expect(env.APP_URL).toBe("http://127.0.0.1:8787");
    expect(config(env).appUrl).toBe("http://127.0.0.1:8787");
  });
});

describe("secrets", () => {
  it("refuses a missing, short or example JWT_SECRET, naming it", () => {
    expect(configWith({ JWT_SECRET: undefined })).toThrow(/JWT_SECRET is not set/);
    expect(configWith({ JWT_SECRET: "short" })).toThrow(/JWT_SECRET must be at least 32 characters/);
    expect(configWith({ JWT_SECRET: "replace-with-at-least-32-random-characters" })).toThrow(/JWT_SECRET is still the example value/);
  });

  it("keeps the Worker from answering requests or running its tick with a missing, short or example JWT_SECRET", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const due = new Date(Date.now() - 60_000);
    await setNextRun(report.id, due);
    // A download link keyed the way links were once keyed from an unset secret ("file-links\0undefined").
    const enc = new TextEncoder();
    const payload = toBase64Url(enc.encode(JSON.stringify([crypto.randomUUID(), admin.organizationId, `user:${admin.userId}`, 4102444800])));
    const oldKey = await crypto.subtle.importKey("raw", enc.encode("file-links\u0000undefined"), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const forged = `${payload}.${toBase64Url(new Uint8Array(await crypto.subtle.sign("HMAC", oldKey, enc.encode(payload))))}`;
    for (const bad of [undefined, "short", "replace-with-at-least-32-random-characters"]) {
      const broken = { ...env, JWT_SECRET: bad } as Env;
      for (const path of ["/api/health", `/api/files/${forged}`]) {
        const ctx = createExecutionContext();
        const res = await worker.fetch!(new Request(`http://127.0.0.1:8787${path}`), broken, ctx);
        await waitOnExecutionContext(ctx);
        expect(res.status, `${bad} ${path}`).toBe(500);
        expect((await res.json<{ error: { code: string } }>()).error.code).toBe("internal_error");
      }
      const tick = worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), broken);
      await expect(tick).rejects.toThrow(/JWT_SECRET/);
    }
    expect(await executionsOf(report.id)).toEqual([]);
  });

  it("refuses weak secrets by estimated strength: one repeated character, a pattern, a known example, naming the variable (#23)", () => {
    const weak: [string, RegExp][] = [
      ["a".repeat(32), /is one character repeated/],
      ["b".repeat(64), /is one character repeated/],
      ["ab".repeat(32), /is too weak \(about 64 bits estimated, at least 128 needed\)/],
      ["abcabcabcabcabcabcabcabcabcabcabcabc", /is too weak/],
      ["0000000000000000000000000000000000000001", /is too weak/],
      ["a-string-secret-at-least-256-bits-long", /is still the example value/],
    ];
    for (const name of ["JWT_SECRET", "OPERATOR_TOKEN", "JWT_SECRET_PREVIOUS", "FILE_LINK_SECRET"]) {
      for (const [value, message] of weak) {
        expect(configWith({ [name]: value }), `${name}=${value}`).toThrow(new RegExp(`${name} ${message.source}`));
      }
    }
    expect(configWith({ OPERATOR_ALERT_WEBHOOK_URL: "https://alerts.example.com/hook", OPERATOR_ALERT_WEBHOOK_SECRET: `whsec_${"A".repeat(32)}` })).toThrow(
      /OPERATOR_ALERT_WEBHOOK_SECRET is one character repeated/,
    );
    // What npm start and the docs generate passes, and so do the test configuration's own secrets.
    const generated = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/=+$/, "");
    for (let i = 0; i < 20; i++) expect(configWith({ JWT_SECRET: generated(), OPERATOR_TOKEN: generated() })).not.toThrow();
    expect(configWith({})).not.toThrow();
  });

  it("checks JWT_SECRET_PREVIOUS like JWT_SECRET when it is set", () => {
    expect(configWith({ JWT_SECRET_PREVIOUS: undefined })().rootSecrets.previous).toBeNull();
    expect(configWith({ JWT_SECRET_PREVIOUS: "" })().rootSecrets.previous).toBeNull();
    expect(configWith({ JWT_SECRET_PREVIOUS: "short" })).toThrow(/JWT_SECRET_PREVIOUS must be at least 32 characters/);
    expect(configWith({ JWT_SECRET_PREVIOUS: "replace-with-at-least-32-random-characters" })).toThrow(/JWT_SECRET_PREVIOUS is still the example value/);
    const previous = "the-root-secret-before-the-last-replacement-0123";
    expect(configWith({ JWT_SECRET_PREVIOUS: previous })()).toMatchObject({
      rootSecrets: { current: env.JWT_SECRET, previous },
      fileLinkSecret: env.JWT_SECRET,
      fileLinkPreviousSecret: previous,
    });
    // Links keyed by FILE_LINK_SECRET rotate on their own: the previous JWT_SECRET opens none.
    expect(configWith({ JWT_SECRET_PREVIOUS: previous, FILE_LINK_SECRET: "a-separate-link-secret-of-at-least-32-chars" })().fileLinkPreviousSecret).toBeNull();
  });
});
