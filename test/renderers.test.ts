import { env } from "cloudflare:test";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvRenderer } from "../src/reports/renderers/csv";
import type { RenderInput } from "../src/reports/renderers/types";
import type { Column, Row } from "../src/reports/types";
import { uploadStream } from "../src/storage/upload";

const columns: Column[] = [
  { key: "date", label: "Date", type: "date" },
  { key: "name", label: "Customer", type: "string" },
  { key: "orders", label: "Orders", type: "integer" },
  { key: "revenue", label: "Revenue", type: "currency" },
];

const tricky: Row[] = [
  { date: "2026-11-01", name: 'Quote "Inc", Ltd', orders: 3, revenue: 1234.5 },
  { date: "2026-11-02", name: "Line\nbreak", orders: 0, revenue: -20 },
  { date: "2026-11-03", name: '=HYPERLINK("http://evil")', orders: 1, revenue: 0.1 },
  { date: "2026-11-04", name: "Zoë Ñandú 東京", orders: 2, revenue: null },
];

async function* pagesOf(rows: Row[], size: number) {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

const input = (rows: Row[], options = {}): RenderInput => ({
  columns,
  pages: pagesOf(rows, 2),
  meta: { title: "Test report", description: "", organizationName: "Acme", generatedAt: new Date("2026-11-28T09:00:00Z"), timezone: "UTC", branding: {} },
  options,
});

const readAll = async (stream: ReadableStream<Uint8Array>) => new Uint8Array(await new Response(stream).arrayBuffer());

describe("CSV", () => {
  it("writes an RFC 4180 file that a parser reads back to exactly the rows", async () => {
    const file = csvRenderer.render(input(tricky));
    const text = new TextDecoder().decode(await readAll(file.stream));
    expect(text.startsWith("Date,Customer,Orders,Revenue\r\n")).toBe(true);
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: "\r\n" }).data;
    expect(parsed).toEqual([
      ["Date", "Customer", "Orders", "Revenue"],
      ["2026-11-01", 'Quote "Inc", Ltd', "3", "1234.5"],
      ["2026-11-02", "Line\nbreak", "0", "-20"],
      // A formula is neutralised with a leading quote.
      ["2026-11-03", '\'=HYPERLINK("http://evil")', "1", "0.1"],
      ["2026-11-04", "Zoë Ñandú 東京", "2", ""],
    ]);
    expect(file.rowCount()).toBe(4);
  });

  it("gzips when asked", async () => {
    const file = csvRenderer.render(input(tricky, { compress: true }));
    expect(file.extension).toBe("csv.gz");
    const gz = await readAll(file.stream);
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);
    const text = await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
    expect(text.split("\r\n")[1]).toBe('2026-11-01,"Quote ""Inc"", Ltd",3,1234.5');
  });

  it("neutralises formulas behind a line break or leading whitespace, and leaves numbers as numbers (#23)", async () => {
    const hostile = [
      '=HYPERLINK("https://evil.example","Open invoice")\nsecond line',
      "  =1+1",
      "\t=cmd",
      "\r\n@SUM(A1)",
      "\n+1",
      " -2+3",
      "@user",
      "\u00a0=1",
    ];
    const rows: Row[] = hostile.map((name, i) => ({ date: "2026-11-01", name, orders: -i, revenue: "-12.5" }));
    const text = new TextDecoder().decode(await readAll(csvRenderer.render(input(rows)).stream));
    const parsed = Papa.parse<string[]>(text.trimEnd(), { newline: "\r\n" }).data.slice(1);
    expect(parsed.map((r) => r[1])).toEqual(hostile.map((name) => `'${name}`));
    // Numbers, negative ones too and a numeric column's number written as text, are written as they are.
    expect(parsed.map((r) => r[2])).toEqual(hostile.map((_, i) => String(-i)));
    expect(parsed.map((r) => r[3])).toEqual(hostile.map(() => "-12.5"));
    // Harmless text that only contains a sign later, or a space before ordinary text, is untouched.
    const plain = new TextDecoder().decode(await readAll(csvRenderer.render(input([{ date: "2026-11-01", name: " a=b-c", orders: 1, revenue: 2 }])).stream));
    expect(Papa.parse<string[]>(plain.trimEnd(), { newline: "\r\n" }).data[1]).toEqual(["2026-11-01", " a=b-c", "1", "2"]);
  });

  it("writes only the header for an empty report", async () => {
    const text = new TextDecoder().decode(await readAll(csvRenderer.render(input([])).stream));
    expect(text).toBe("Date,Customer,Orders,Revenue\r\n");
  });
});

describe("uploadStream", () => {
  const streamOf = (chunks: Uint8Array[]) =>
    new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks) c.enqueue(ch);
        c.close();
      },
    });
  const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill);

  it("puts a small file in one request", async () => {
    const result = await uploadStream(env.REPORTS, "t/small.bin", streamOf([bytes(10, 1), bytes(5, 2)]), { contentType: "application/octet-stream" });
    expect(result).toMatchObject({ key: "t/small.bin", size: 15, parts: 1 });
    const obj = await env.REPORTS.get("t/small.bin");
    expect(new Uint8Array(await obj!.arrayBuffer())).toEqual(new Uint8Array([...bytes(10, 1), ...bytes(5, 2)]));
  });

  it("splits a large file into equal parts whatever the chunk sizes", async () => {
    const part = 5 * 1024 * 1024;
    const chunks = [bytes(3 * 1024 * 1024, 1), bytes(4 * 1024 * 1024, 2), bytes(5 * 1024 * 1024, 3), bytes(1000, 4)];
    const result = await uploadStream(env.REPORTS, "t/large.bin", streamOf(chunks), { contentType: "application/octet-stream" });
    const total = 12 * 1024 * 1024 + 1000;
    expect(result).toMatchObject({ key: "t/large.bin", size: total, parts: Math.ceil(total / part) });
    const obj = await env.REPORTS.get("t/large.bin");
    const got = new Uint8Array(await obj!.arrayBuffer());
    expect(got.byteLength).toBe(total);
    expect([got[0], got[3 * 1024 * 1024], got[7 * 1024 * 1024], got[total - 1]]).toEqual([1, 2, 3, 4]);
  });

  it("leaves nothing behind when the source fails midway", async () => {
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if ((this as any).sent) c.error(new Error("source broke"));
        (this as any).sent = true;
        c.enqueue(bytes(6 * 1024 * 1024, 9));
      },
    });
    await expect(uploadStream(env.REPORTS, "t/broken.bin", failing, {})).rejects.toThrow("source broke");
    expect(await env.REPORTS.head("t/broken.bin")).toBeNull();
  });
});
