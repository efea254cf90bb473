/*
 * vitest globalSetup (Node): serves the OpenAPI contract check on 127.0.0.1, so that every answer the
 * workerd suite receives through test/support/api.ts is checked against the committed document
 * (web/src/lib/api/openapi.json, itself compared with the served one by openapi-client.test.ts).
 * CONTRACT_RECORD=<file> lists the mismatches in that file instead of failing the tests that met them.
 */
import { appendFileSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { contractChecker, type Exchange, webhookChecker } from "./check";

declare module "vitest" {
  export interface ProvidedContext {
    contractUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const document = JSON.parse(readFileSync(path.join(import.meta.dirname, "../../../web/src/lib/api/openapi.json"), "utf8"));
  const { check, checkRequest } = contractChecker(document);
  const checkWebhook = webhookChecker(document);
  const record = process.env.CONTRACT_RECORD;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let violations: string[];
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        violations = req.url === "/webhook" ? checkWebhook(input.event, input.body) : req.url === "/request" ? checkRequest(input) : check(input as Exchange);
      } catch (err) {
        violations = [`contract check failed: ${(err as Error).message}`];
      }
      if (record && violations.length && req.url === "/check") {
        appendFileSync(record, `${violations.join("\n")}\n`);
        violations = [];
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ violations }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("contractUrl", `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
