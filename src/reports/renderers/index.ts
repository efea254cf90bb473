import { csvRenderer } from "./csv";
import { pdfRenderer } from "./pdf";
import type { RendererRegistry } from "./types";
import { xlsxRenderer } from "./xlsx";

/** Exhaustive: a format without a renderer is a compile error. */
export const renderers: RendererRegistry = { csv: csvRenderer, xlsx: xlsxRenderer, pdf: pdfRenderer };
