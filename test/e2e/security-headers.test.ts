import { expect, inject, it } from "vitest";

// The dashboard and the API as the browser receives them from `npm start`.
const base = inject("baseUrl");

it("serves the dashboard with a strict Content-Security-Policy and no framing", async () => {
  for (const pathname of ["/", "/reports/new", "/settings"]) {
    const res = await fetch(`${base}${pathname}`);
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    await res.body?.cancel();
  }
});

it("answers the API with headers that keep browsers from sniffing or framing it", async () => {
  const res = await fetch(`${base}/api/health`);
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("x-frame-options")).toBe("DENY");
  expect(res.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
});
