import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ConfigError, config } from "../src/config";

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
});
