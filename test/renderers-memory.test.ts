import { env } from "cloudflare:test";
import { Unzip, UnzipInflate } from "fflate";
import { describe, expect, it } from "vitest";
import type { Renderer } from "../src/reports/renderers/types";
import { xlsxRenderer } from "../src/reports/renderers/xlsx";
import type { Column, Row } from "../src/reports/types";
import { uploadStream } from "../src/storage/upload";

/*
 * workerd gives a test no reading of the isolate's heap (and does not enforce the 128 MB locally),
 * so this measures what "bounded memory" means for a streaming renderer from outside it: how many
 * rows it has taken from the source but not yet handed on as file bytes. The file is read through
 * the real upload path into local R2; on the way the sheet XML is inflated and its rows counted as
 * they come out. Rows in flight are what the renderer holds (its XML, the deflater's input, the
 * push stream's queue); a writer that kept a shared-string table, buffered the zip, or ignored the
 * reader's pace would hold a number growing with the report. The heap itself is sampled by
 * bench/xlsx.mjs in Node (BENCHMARKS.md).
 */

const columns: Column[] = [
  { key: "id", label: "Order", type: "id" },
  { key: "day", label: "Date", type: "date" },
  { key: "customer", label: "Customer", type: "string" },
  { key: "region", label: "Region", type: "string" },
  { key: "product", label: "Product", type: "string" },
  { key: "quantity", label: "Quantity", type: "integer" },
  { key: "price", label: "Price", type: "currency" },
  { key: "amount", label: "Amount", type: "currency" },
  { key: "share", label: "Share", type: "percent" },
  { key: "note", label: "Note", type: "string" },
];

const PAGE = 1_000;

async function measure(renderer: Renderer, total: number) {
  let pulled = 0;
  async function* pages() {
    for (let start = 0; start < total; start += PAGE) {
      const page: Row[] = [];
      for (let i = start; i < Math.min(total, start + PAGE); i++) {
        page.push({
          id: i + 1,
          day: `2026-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`,
          customer: `Customer ${i % 5000}`,
          region: ["NA", "EU", "APAC", "LATAM"][i % 4]!,
          product: `Product "${i % 300}", standard`,
          quantity: 1 + (i % 9),
          price: (i % 1000) / 10,
          amount: ((1 + (i % 9)) * (i % 1000)) / 10,
          share: (i % 100) / 100,
          note: `note, with a comma ${i}`,
        });
      }
      pulled += page.length;
      yield page;
    }
  }
  const file = renderer.render({
    columns,
    pages: pages(),
    meta: { title: "Memory", description: "", organizationName: "Acme", generatedAt: new Date("2026-11-28T09:00:00Z"), timezone: "UTC", branding: {} },
    options: {},
  });

  let rowsOut = 0;
  let tail = "";
  const decoder = new TextDecoder();
  const unzip = new Unzip((entry) => {
    if (!entry.name.startsWith("xl/worksheets/")) return;
    entry.ondata = (err, data) => {
      if (err) throw err;
      const text = tail + decoder.decode(data, { stream: true });
      rowsOut += text.split("</row>").length - 1;
      tail = text.slice(-5);
    };
    entry.start();
  });
  unzip.register(UnzipInflate);
  let peakRowsHeld = 0;
  let largestChunk = 0;
  const counted = file.stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        largestChunk = Math.max(largestChunk, chunk.byteLength);
        // Rows taken from the source and not yet out when this chunk arrives (the header is a row
        // of the sheet but not one taken from the source).
        peakRowsHeld = Math.max(peakRowsHeld, pulled - Math.max(0, rowsOut - 1));
        unzip.push(chunk);
        controller.enqueue(chunk);
      },
      flush() {
        unzip.push(new Uint8Array(0), true);
      },
    }),
  );
  const upload = await uploadStream(env.REPORTS, `memory-test/${crypto.randomUUID()}.xlsx`, counted, {});
  expect(rowsOut - 1).toBe(total);
  return { peakRowsHeld, largestChunk, size: upload.size };
}

/** A renderer that reads every row before it writes a byte: what the measure must catch. */
const holdingAll: Renderer = {
  render(input) {
    const inner = xlsxRenderer.render(input);
    const whole = new Response(inner.stream).arrayBuffer();
    return {
      ...inner,
      stream: new ReadableStream({
        async start(c) {
          c.enqueue(new Uint8Array(await whole));
          c.close();
        },
      }),
    };
  },
};

describe("XLSX memory", () => {
  it("holds no more rows at 200,000 than twice what it holds at 20,000", { timeout: 120_000 }, async () => {
    const small = await measure(xlsxRenderer, 20_000);
    const large = await measure(xlsxRenderer, 200_000);
    expect(large.size).toBeGreaterThan(5 * small.size);
    expect(large.peakRowsHeld).toBeLessThanOrEqual(2 * small.peakRowsHeld);
    expect(large.largestChunk).toBeLessThanOrEqual(2 * small.largestChunk);
  });

  it("sees a renderer that holds the whole file", { timeout: 120_000 }, async () => {
    const small = await measure(holdingAll, 20_000);
    const large = await measure(holdingAll, 60_000);
    expect(large.peakRowsHeld).toBeGreaterThan(2 * small.peakRowsHeld);
    expect(large.largestChunk).toBeGreaterThan(2 * small.largestChunk);
  });
});
