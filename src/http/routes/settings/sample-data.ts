import { createRoute, z } from "@hono/zod-openapi";
import { loadSampleData } from "../../../services/settings/load-sample-data";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/sample-data",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Load the sample business into the organization's own data (admins; once: a second call changes nothing)",
  responses: {
    200: jsonContent(
      z.object({
        loaded: z.boolean().openapi({ description: "false when the organization already had the sample data" }),
        counts: z.object({ customers: z.number().int(), products: z.number().int(), orders: z.number().int(), tickets: z.number().int() }),
      }),
      "The sample data the organization now has",
    ),
    ...authErrors,
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await loadSampleData({ ctx: serviceContext(c) }), 200));
