import { PermanentError } from "../../jobs/errors";
import type { Renderer } from "./types";

/** The PDF renderer plugs in here (Browser Rendering through @cloudflare/puppeteer). */
export const pdfRenderer: Renderer = {
  render() {
    throw new PermanentError("PDF rendering is not available yet in this build");
  },
};
