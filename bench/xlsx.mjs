// The XLSX renderer against SheetJS, in Node, each case in a fresh process: rows/s, file size and
// the peak of heap + external memory (external includes ArrayBuffers), sampled at every chunk the
// renderer hands on and at every phase of SheetJS; beside it the kernel's peak resident set of the
// process (VmHWM), which no sampling can miss. Output bytes are counted and thrown away, except at
// --check, where the largest file is written and LibreOffice (headless) reads it back, every sheet to
// CSV, and every line is compared with the CSV renderer's for the same rows.
// Usage: npm run bench:xlsx [-- --quick] [-- --check]   (results in bench/results/xlsx.json)
// One case: node --expose-gc --import tsx bench/xlsx.mjs --case ours|sheetjs ROWS [--out FILE]
import { execFileSync, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const COLUMNS = [
  { key: "id", label: "Order", type: "id" },
  { key: "day", label: "Date", type: "date" },
  { key: "customer", label: "Customer", type: "string" },
  { key: "region", label: "Region", type: "string" },
  { key: "product", label: "Product", type: "string" },
  { key: "quantity", label: "Quantity", type: "integer" },
  { key: "price", label: "Price", type: "currency" },
  { key: "amount", label: "Amount", type: "currency" },
  { key: "status", label: "Status", type: "string" },
  { key: "note", label: "Note", type: "string" },
];
const PAGE = 1_000;
const meta = { title: "Bench rows", description: "", organizationName: "Bench", generatedAt: new Date("2026-12-01T00:00:00Z"), timezone: "UTC", branding: {} };

/** The same rows as bench/worker.ts's /xlsx: customer, product and note text, numbers, dates. */
function row(i) {
  return {
    id: i + 1,
    day: new Date(Date.UTC(2025, 0, 1 + (i % 700))).toISOString().slice(0, 10),
    customer: `Customer ${i % 5000}`,
    region: `${String.fromCharCode(65 + (i % 4))}region`,
    product: `Product "${i % 300}", standard`,
    quantity: 1 + (i % 9),
    price: (i % 1000) / 10,
    amount: ((1 + (i % 9)) * (i % 1000)) / 10,
    status: i % 10 === 0 ? "refunded" : "completed",
    note: `note, with a comma ${i}`,
  };
}
async function* pages(total) {
  for (let start = 0; start < total; start += PAGE) {
    const page = [];
    for (let i = start; i < Math.min(total, start + PAGE); i++) page.push(row(i));
    yield page;
  }
}

const MiB = 1024 * 1024;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};
const hwm = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
const rss = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;

async function runCase(kind, rows, out) {
  // Modules are loaded before the baseline: their code is not the renderer's data.
  const { xlsxRenderer } = await import("../src/reports/renderers/xlsx.ts");
  const XLSX = await import("xlsx");
  globalThis.gc?.();
  const base = used();
  const baseRss = rss();
  let peak = base;
  let peakLive = base;
  const sample = () => {
    const u = used();
    if (u > peak) peak = u;
  };
  // What is still referenced, garbage aside: measured after a full collection.
  const sampleLive = () => {
    globalThis.gc();
    peakLive = Math.max(peakLive, used());
  };
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  if (kind === "ours") {
    const file = xlsxRenderer.render({ columns: COLUMNS, pages: pages(rows), meta, options: {} });
    const sink = out ? createWriteStream(out) : null;
    let n = 0;
    for await (const chunk of file.stream) {
      bytes += chunk.byteLength;
      if (sink && !sink.write(chunk)) await new Promise((r) => sink.once("drain", r));
      if (++n % 4 === 0) sample();
      if (n % 256 === 0) sampleLive();
    }
    sample();
    sampleLive();
    if (sink) await new Promise((r) => sink.end(r));
  } else {
    // "In one go": SheetJS builds the sheet from every row, then writes the file.
    const aoa = [COLUMNS.map((c) => c.label)];
    for await (const page of pages(rows)) {
      for (const r of page) aoa.push(COLUMNS.map((c) => (c.type === "date" ? new Date(`${r[c.key]}T00:00:00Z`) : r[c.key])));
    }
    sample();
    sampleLive();
    const sheet = XLSX.utils.aoa_to_sheet(aoa, { cellDates: true });
    sample();
    sampleLive();
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, sheet, "Bench rows");
    const buf = XLSX.write(wb, { type: "buffer", bookType: "xlsx", compression: true });
    sample();
    sampleLive();
    bytes = buf.byteLength;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  // On a shared machine the wall time depends on the other load: CPU seconds are what the case cost.
  return {
    kind,
    rows,
    bytes,
    seconds: +seconds.toFixed(2),
    cpuSeconds: +cpuSeconds.toFixed(2),
    rowsPerSecond: Math.round(rows / seconds),
    rowsPerCpuSecond: Math.round(rows / cpuSeconds),
    peakMiB: +((peak - base) / MiB).toFixed(1),
    livePeakMiB: +((peakLive - base) / MiB).toFixed(1),
    rssPeakMiB: +((hwm() - baseRss) / MiB).toFixed(1),
  };
}

/** One case in a fresh Node, so that no case's heap is counted in another's. */
function spawnCase(kind, rows, out) {
  const args = ["--expose-gc", "--import", "tsx", path.join(here, "xlsx.mjs"), "--case", kind, String(rows), ...(out ? ["--out", out] : [])];
  const res = spawnSync(process.execPath, args, { cwd: path.join(here, ".."), encoding: "utf8", maxBuffer: 16 * MiB });
  if (res.status !== 0) throw new Error(`${kind} ${rows}: ${res.stderr.slice(-2000)}`);
  const result = JSON.parse(res.stdout.trim().split("\n").pop());
  console.log(JSON.stringify(result));
  return result;
}

/** LibreOffice reads the file; every sheet to CSV (raw values, not as shown), first and last rows checked. */
async function libreOfficeCheck(file, rows) {
  const dir = path.join(path.dirname(file), "lo");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  execFileSync(
    "soffice",
    ["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,false,false,false,-1", "--outdir", dir, file],
    { stdio: "pipe", timeout: 600_000 },
  );
  const seconds = +((performance.now() - t0) / 1000).toFixed(1);
  // One CSV a sheet, "<file>-<sheet>.csv": in the workbook's order, "Bench rows", "Bench rows (2)", …
  const order = (f) => Number(/ \((\d+)\)\.csv$/.exec(f)?.[1] ?? 1);
  const sheets = readdirSync(dir).sort((a, b) => order(a) - order(b));
  const lines = sheets.flatMap((f, s) =>
    readFileSync(path.join(dir, f), "utf8")
      .trimEnd()
      .split(/\r?\n/)
      .slice(s === 0 ? 0 : 1),
  );
  const { csvRenderer } = await import("../src/reports/renderers/csv.ts");
  // Every line compared, the first and last kept for the record.
  const wanted = [0, 1, 2, rows - 1, rows];
  const csv = [];
  let lineNo = 0;
  let mismatches = 0;
  let firstMismatch = null;
  let pending = "";
  const decoder = new TextDecoder();
  for await (const chunk of csvRenderer.render({ columns: COLUMNS, pages: pages(rows), meta, options: {} }).stream) {
    const parts = (pending + decoder.decode(chunk, { stream: true })).split("\r\n");
    pending = parts.pop();
    for (const p of parts) {
      if (wanted.includes(lineNo)) csv.push(p);
      if (lines[lineNo] !== p) {
        mismatches++;
        firstMismatch ??= { line: lineNo, libreoffice: lines[lineNo], csv: p };
      }
      lineNo++;
    }
  }
  const got = wanted.map((i) => lines[i]);
  return { sheets: sheets.length, linesRead: lines.length, csvLines: lineNo, seconds, mismatches, firstMismatch, libreoffice: got, csv };
}

const argv = process.argv.slice(2);
if (argv[0] === "--case") {
  const outAt = argv.indexOf("--out");
  console.log(JSON.stringify(await runCase(argv[1], Number(argv[2]), outAt > 0 ? argv[outAt + 1] : undefined)));
} else if (argv.includes("--libreoffice-only")) {
  // The check again on the file of the last --check run, its cases kept.
  const file = path.join(here, "results", "xlsx.json");
  const summary = JSON.parse(readFileSync(file, "utf8"));
  const rows = summary.libreoffice.rows;
  summary.libreoffice = { rows, ...(await libreOfficeCheck(path.join("/tmp", "scheduled-reports-bench-xlsx", `rows-${rows}.xlsx`), rows)) };
  console.log(JSON.stringify(summary.libreoffice));
  writeFileSync(file, `${JSON.stringify(summary, null, 2)}\n`);
} else {
  const quick = argv.includes("--quick");
  const sizes = quick ? [10_000, 100_000] : [10_000, 100_000, 1_048_576];
  const results = [];
  for (const rows of sizes) {
    results.push(spawnCase("ours", rows));
    // SheetJS holds every row and the whole file: past 200,000 rows it is only slower and bigger.
    if (rows <= 200_000) results.push(spawnCase("sheetjs", rows));
  }
  if (!quick) results.push(spawnCase("sheetjs", 200_000), spawnCase("ours", 200_000));
  const { loadavg, cpus } = await import("node:os");
  const summary = { at: new Date().toISOString(), node: process.version, cores: cpus().length, loadAverageAtStart: loadavg(), results };
  if (argv.includes("--check")) {
    const rows = quick ? 100_000 : 1_048_576;
    const file = path.join("/tmp", "scheduled-reports-bench-xlsx", `rows-${rows}.xlsx`);
    mkdirSync(path.dirname(file), { recursive: true });
    spawnCase("ours", rows, file);
    summary.libreoffice = { rows, ...(await libreOfficeCheck(file, rows)) };
    console.log(JSON.stringify(summary.libreoffice));
  }
  writeFileSync(path.join(here, "results", "xlsx.json"), `${JSON.stringify(summary, null, 2)}\n`);
}
