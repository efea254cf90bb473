import { createRoute, z } from "@hono/zod-openapi";
import { isEventSchedule } from "../../../db/schema";
import { nextRuns } from "../../../lib/schedule";
import { describeReportSchedule } from "../../../services/scheduled-reports/dto";
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
    // A report run by a trigger has no run times of its own: its next deadlines are shown instead.
    const shown = isEventSchedule(s.scheduleConfig) && !s.scheduleConfig.deadline ? [] : runs;
    return c.json(
      { nextRuns: shown.map((d) => d.toISOString()), cron: s.cron, description: describeReportSchedule(s.scheduleConfig, s.cron, s.timezone) },
      200,
    );
  });
