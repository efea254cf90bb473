import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { extractImages, extractText, getDocumentProxy } from "unpdf";
import { describe, expect, it, vi } from "vitest";
import { config, type DeliveryConfig } from "../src/config";
import { organizations } from "../src/db/schema";
import { forgetLogo, LOGO_MAX_BYTES, loadLogo } from "../src/reports/pdf/logo";
import { printHtml } from "../src/reports/renderers/pdf";
import { brandingLogoKey } from "../src/storage/keys";
import { unique } from "./support/api";
import { fake, fakeUrl } from "./support/delivery-factories";
import { consume, db, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";

/** A 4×3 red PNG. */
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAEElEQVR4nGO4YGAARww4OQAdlg5BDW5a6gAAAABJRU5ErkJggg==";
const png = { status: 200, headers: { "content-type": "image/png" }, bodyBase64: PNG };

/** Local development, as in the tests: a logo on the fake server (loopback) is allowed. */
const localDev = (): DeliveryConfig => config(env).delivery;
const production = (): DeliveryConfig => ({ ...config(env).delivery, localDev: false, dnsUrl: `${fakeUrl()}/dns-query` });

const logoUrl = (ext = "png") => `${fakeUrl()}/logos/${unique("logo")}.${ext}`;
const pathOf = (url: string) => new URL(url).pathname;

/** Chromium (Browser Rendering run locally) starts cold per file: on a loaded 2-core CI machine a first render took over 30 s. */
const PDF_TEST_TIMEOUT_MS = 120_000;

describe("the PDF logo", { timeout: PDF_TEST_TIMEOUT_MS }, () => {
  it("is fetched through the outbound guard and inlined as a data: URL, once per organization and URL", async () => {
    const org = unique("org");
    const url = logoUrl();
    await fake.script(pathOf(url), [png, png]);
    expect(await loadLogo(env, localDev(), org, url)).toEqual({ ok: true, dataUrl: `data:image/png;base64,${PNG}`, fetched: true });
    expect(await loadLogo(env, localDev(), org, url)).toEqual({ ok: true, dataUrl: `data:image/png;base64,${PNG}`, fetched: false });
    expect(await fake.requestsTo(pathOf(url))).toHaveLength(1);
    // Kept in R2 with the URL it came from: another URL is fetched, and saving the settings forgets it.
    const stored = await env.REPORTS.head(brandingLogoKey(org));
    expect(stored?.customMetadata).toEqual({ url });
    await forgetLogo(env, org);
    expect(await loadLogo(env, localDev(), org, url)).toMatchObject({ ok: true, fetched: true });
    expect(await fake.requestsTo(pathOf(url))).toHaveLength(2);
  });

  const oversize = btoa(String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) + "\u0000".repeat(LOGO_MAX_BYTES));
  const refusals: [string, { status: number; headers?: Record<string, string>; body?: string; bodyBase64?: string }, RegExp][] = [
    ["an oversize image", { status: 200, headers: { "content-type": "image/png" }, bodyBase64: oversize }, /over the 512 KB limit/],
    ["an SVG", { status: 200, headers: { "content-type": "image/svg+xml" }, body: "<svg xmlns='http://www.w3.org/2000/svg'/>" }, /SVG is refused/],
    ["an HTML page", { status: 200, headers: { "content-type": "text/html" }, body: "<html></html>" }, /its type is text\/html, not PNG, JPEG, GIF or WebP/],
    ["a GIF that says it is a PNG", { status: 200, headers: { "content-type": "image/png" }, body: "GIF89a......" }, /not a PNG image, as its type claims/],
    ["a redirect", { status: 302, headers: { location: "https://example.com/logo.png" } }, /redirects are not followed/],
    ["a missing file", { status: 404, body: "not found" }, /the server answered 404/],
  ];
  for (const [what, response, reason] of refusals) {
    it(`is left out when it is ${what}, saying why, and nothing is kept`, async () => {
      const org = unique("org");
      const url = logoUrl();
      await fake.script(pathOf(url), [response]);
      const logo = await loadLogo(env, localDev(), org, url);
      expect(logo).toEqual({ ok: false, reason: expect.stringMatching(reason) });
      expect(logo.ok || logo.reason.startsWith(`The PDF logo ${url} was left out: `)).toBe(true);
      expect(await env.REPORTS.head(brandingLogoKey(org))).toBeNull();
    });
  }

  it("is not fetched from where the outbound guard refuses to go", async () => {
    const host = `${unique("logo").toLowerCase()}.example.com`;
    await fake.dns(host, ["10.1.2.3"]);
    const loopback = logoUrl();
    await fake.script(pathOf(loopback), [png]);
    const cases: [string, RegExp][] = [
      ["https://169.254.169.254/logo.png", /link-local address/],
      [loopback, /must use https/],
      [`https://${host}/logo.png`, /resolves to 10\.1\.2\.3, a private address/],
    ];
    for (const [url, reason] of cases) {
      expect(await loadLogo(env, production(), unique("org"), url), url).toEqual({ ok: false, reason: expect.stringMatching(reason) });
    }
    expect(await fake.requestsTo(pathOf(loopback))).toEqual([]);
  });

  it("appears in the PDF report, inlined", async () => {
    const printed = await runPdfWithLogo(png);
    const images = await extractImages(await getDocumentProxy(printed.bytes), 1);
    expect(images.map((i) => [i.width, i.height])).toContainEqual([4, 3]);
  });

  it("is left out of a PDF report when refused: the report still renders, and the run's log says why", async () => {
    const logged: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: unknown) => void logged.push(String(line)));
    try {
      const refused = await runPdfWithLogo({ status: 200, headers: { "content-type": "image/svg+xml" }, body: "<svg/>" });
      expect(await extractImages(await getDocumentProxy(refused.bytes), 1)).toEqual([]);
      const line = logged.map((l) => JSON.parse(l)).find((l) => l.message === "PDF logo left out");
      expect(line).toMatchObject({ executionId: refused.executionId, traceId: refused.traceId, reason: expect.stringContaining("SVG is refused") });
    } finally {
      spy.mockRestore();
    }
  });
});

/** A PDF report of an organization whose logo URL (on the fake server) answers `response`, run through the generation consumer. */
async function runPdfWithLogo(response: { status: number; headers?: Record<string, string>; body?: string; bodyBase64?: string }) {
  const { admin, report } = await reportWithData({ reportType: "sales_summary", format: "pdf", parameters: { dateRange: "last_7_days" } });
  const url = logoUrl();
  await fake.script(pathOf(url), [response]);
  // Written directly: the settings API takes https URLs only, and the fake server is plain http on loopback.
  await db()
    .update(organizations)
    .set({ pdfBranding: { logoUrl: url } })
    .where(eq(organizations.id, admin.organizationId));
  const execution = await insertExecution(admin, report.id);
  await consume("report-generation", [generationJob(execution)]);
  const done = await executionById(execution.id);
  expect(done.status).toBe("completed");
  const object = await env.REPORTS.get(done.fileKey!);
  return { bytes: new Uint8Array(await object!.arrayBuffer()), executionId: execution.id, traceId: execution.traceId };
}

describe("the PDF page", { timeout: PDF_TEST_TIMEOUT_MS }, () => {
  it("fetches nothing: every request but data: URLs is aborted, and scripts do not run", async () => {
    const probe = unique("probe");
    const at = (what: string) => `${fakeUrl()}/pdf-probe/${probe}/${what}`;
    const html = `<!doctype html><html><head><link rel="stylesheet" href="${at("style.css")}"><script src="${at("script.js")}"></script></head>
<body><h1>Probe</h1><img src="${at("image.png")}" alt=""><img src="data:image/png;base64,${PNG}" alt="">
<iframe src="${at("frame.html")}"></iframe><script>fetch(${JSON.stringify(at("fetch"))}); document.write("script ran");</script></body></html>`;
    const logged: string[] = [];
    const spy = vi.spyOn(console, "warn").mockImplementation((line: unknown) => void logged.push(String(line)));
    let bytes: Uint8Array;
    try {
      bytes = await printHtml(env.BROWSER as unknown as Fetcher, html, { format: "A4" });
    } finally {
      spy.mockRestore();
    }
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe("%PDF-");
    expect(await fake.requests(`/pdf-probe/${probe}/`)).toEqual([]);
    const refused = logged.map((l) => JSON.parse(l)).filter((l) => l.message === "PDF page request refused");
    expect(refused.map((l) => l.url)).toEqual(expect.arrayContaining([at("image.png"), at("style.css")]));
    // The data: image was loaded; the inline script did not run.
    const images = await extractImages(await getDocumentProxy(bytes.slice()), 1);
    expect(images.map((i) => [i.width, i.height])).toContainEqual([4, 3]);
    const { text } = await extractText(await getDocumentProxy(bytes.slice()), { mergePages: true });
    expect(text).toContain("Probe");
    expect(text).not.toContain("script ran");
  });
});
