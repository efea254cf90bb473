import { createRoute } from "@hono/zod-openapi";
import { replayDeadLetter } from "../../../services/dead-letters/replay";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdParam, jsonContent } from "../common";
import { DeadLetterSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/{id}/replay",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "Run a dead-lettered run again, or send a dead-lettered delivery again (admins; once)",
  request: { params: IdParam },
  responses: { 202: jsonContent(DeadLetterSchema, "Replayed"), ...authErrors, ...conflictError },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await replayDeadLetter({ ctx: serviceContext(c), id: c.req.valid("param").id }), 202));
