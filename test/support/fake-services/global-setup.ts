/*
 * vitest globalSetup (runs in Node, before the workerd pool starts): starts the fake outside world
 * and hands its address, plus a SendGrid event-webhook signing key pair, to the pool options and to
 * the tests through `provide`/`inject`.
 */
import { generateKeyPairSync } from "node:crypto";
import type { TestProject } from "vitest/node";
import { startFakeServices } from "./server";

export type FakeServices = {
  url: string;
  /** PKCS#8 DER, base64: tests sign SendGrid bounce events with it. */
  sendgridPrivateKey: string;
  /** SPKI DER, base64: what SendGrid shows as the "verification key". */
  sendgridPublicKey: string;
};

declare module "vitest" {
  export interface ProvidedContext {
    fakeServices: FakeServices;
  }
}

export default async function setup(project: TestProject) {
  const { server, url } = await startFakeServices();
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  project.provide("fakeServices", {
    url,
    sendgridPrivateKey: privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
    sendgridPublicKey: publicKey.export({ format: "der", type: "spki" }).toString("base64"),
  });
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
