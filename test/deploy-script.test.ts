import { describe, expect, it } from "vitest";
import pkg from "../package.json";
import web from "../web/package.json";

describe("npm run deploy", () => {
  it("builds the dashboard, with its security headers, before the Worker that serves it is deployed", () => {
    // wrangler deploy uploads web/build as the Worker's assets: built first, never stale or missing.
    expect(pkg.scripts.deploy).toMatch(/^npm run build -w web && wrangler deploy\b/);
    // The dashboard's build writes the _headers file with its Content-Security-Policy and frame-ancestors.
    expect(web.scripts.build).toMatch(/&& node \.\.\/scripts\/write-security-headers\.mjs$/);
  });
});
