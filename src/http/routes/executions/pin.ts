import { createRoute } from "@hono/zod-openapi";
import { setExecutionPinned } from "../../../services/executions/pin";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent } from "../common";
import { ExecutionSchema } from "./schema";

const pinRoute = createRoute({
  method: "post",
  path: "/{id}/pin",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "Keep this execution's file past retention (admins)",
  request: { params: IdParam },
  responses: { 200: jsonContent(ExecutionSchema, "Pinned"), ...authErrors },
});

const unpinRoute = createRoute({
  method: "post",
  path: "/{id}/unpin",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "Let retention remove this execution's file again (admins)",
  request: { params: IdParam },
  responses: { 200: jsonContent(ExecutionSchema, "Unpinned"), ...authErrors },
});

export default (app: Router) =>
  app
    .openapi(pinRoute, async (c) => c.json(await setExecutionPinned({ ctx: serviceContext(c), id: c.req.valid("param").id, pinned: true }), 200))
    .openapi(unpinRoute, async (c) => c.json(await setExecutionPinned({ ctx: serviceContext(c), id: c.req.valid("param").id, pinned: false }), 200));
