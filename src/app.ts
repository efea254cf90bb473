import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "./env";

export function newApp() {
  const app = new OpenAPIHono<AppEnv>();
  app.get("/api/health", (c) => c.json({ ok: true }));
  return app;
}
