import type { Format, PdfBranding } from "../../db/schema";
import type { Column, ReportType, Row } from "../types";

export type RenderMeta = {
  title: string;
  /** The parameters in words, for documents that show them. */
  description: string;
  organizationName: string;
  generatedAt: Date;
  timezone: string;
  branding: PdfBranding;
  /** The logo as a data: URL (pdf/logo.ts); the page fetches nothing, so a logo URL is never put in it. */
  logo?: string;
  chart?: ReportType["chart"];
};

export type RenderInput = {
  columns: Column[];
  /** Pages of rows, pulled one at a time: a renderer never holds the whole report. */
  pages: AsyncIterable<Row[]>;
  meta: RenderMeta;
  options: {
    compress?: boolean;
    /** Browser Rendering, for the PDF renderer. */
    browser?: Fetcher;
    pdfRowLimit?: number;
    /** Past Excel's rows a sheet: go on in another sheet (the default), or fail naming the limit. */
    xlsxOverflow?: "sheet" | "fail";
    /** Rows a sheet, the header included: Excel's 1,048,576 unless a test asks for fewer. */
    xlsxSheetRows?: number;
  };
};

export type RenderedFile = {
  stream: ReadableStream<Uint8Array>;
  contentType: string;
  extension: string;
  /** Rows written so far; final once the stream has been read to its end. */
  rowCount(): number;
  /** A note for the execution record, e.g. that a PDF was cut at its row limit. */
  note?(): string | undefined;
};

export interface Renderer {
  render(input: RenderInput): RenderedFile;
}

export type RendererRegistry = Record<Format, Renderer>;
