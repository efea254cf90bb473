import { createRoute, z } from "@hono/zod-openapi";
import { createApiKey } from "../../../services/api-keys/create";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent, quotaError } from "../common";
import { ApiKeySchema, CreateApiKeySchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["API keys"],
  security: bearerSecurity,
  summary: "Create an API key (admins, signed in as a person)",
  description: "The secret is in this response only: store it now. Use it as `Authorization: Bearer <secret>`.",
  request: jsonBody(CreateApiKeySchema),
  responses: {
    201: jsonContent(
      z.object({ apiKey: ApiKeySchema, secret: z.string().openapi({ example: "srk_Ab3dEf7H_…" }) }),
      "Created; the only time the secret is shown",
    ),
    ...authErrors,
    ...quotaError,
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await createApiKey({ ctx: serviceContext(c), input: c.req.valid("json") }), 201));
