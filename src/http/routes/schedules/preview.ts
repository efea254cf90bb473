import { createRoute, z } from "@hono/zod-openapi";
import { describeSchedule, nextRuns } from "../../../lib/schedule";
import { normalizeSchedule } from "../../../services/scheduled-reports/normalize";
import { ScheduleSchema } from "../../../services/scheduled-reports/schema";
import type { Router } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const PreviewScheduleSchema = z
  .object({
    schedule: ScheduleSchema,
    from: z.iso.datetime({ offset: true }).optional(),
    count: z.number().int().min(1).max(50).default(5),
  })
  .strict();

const route = createRoute({
  method: "post",
  path: "/preview",
  tags: ["Schedules"],
  security: bearerSecurity,
  summary: "The next runs of a schedule, for the wizard",
  request: jsonBody(PreviewScheduleSchema),
  responses: {
    200: jsonContent(z.object({ nextRuns: z.array(z.string()), cron: z.string(), description: z.string() }), "Next runs in UTC"),
    ...authErrors,
  },
});

export default (app: Router) =>
  app.openapi(route, (c) => {
    const input = c.req.valid("json");
    const s = normalizeSchedule(input.schedule);
    const from = input.from ? new Date(input.from) : new Date();
    const runs = nextRuns(s.cron, s.timezone, from, input.count, { startAt: s.startAt, endAt: s.endAt });
    return c.json({ nextRuns: runs.map((d) => d.toISOString()), cron: s.cron, description: describeSchedule(s.cron, s.timezone) }, 200);
  });
