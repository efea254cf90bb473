/*
 * Who may import whom in src/ (checked by `npm test`):
 *   http → services → (jobs/messages.ts, reports, storage, channels, domain, db, lib)
 *   jobs → (reports, storage, channels, domain, db, lib)
 *   channels, reports, storage → nothing of jobs, services or http
 * and no import cycles anywhere.
 */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle makes the load order matter and the layers meaningless.",
      from: { path: "^src" },
      to: { circular: true },
    },
    {
      name: "services-not-http",
      severity: "error",
      comment: "Services throw domain errors (src/errors.ts); only http/ knows HTTP.",
      from: { path: "^src/services/" },
      to: { path: "^src/http/" },
    },
    {
      name: "services-reach-jobs-through-messages",
      severity: "error",
      comment: "A request verb starts background work only through the enqueue functions of jobs/messages.ts.",
      from: { path: "^src/services/" },
      to: { path: "^src/jobs/", pathNot: "^src/jobs/messages\\.ts$" },
    },
    {
      name: "jobs-not-services-or-http",
      severity: "error",
      comment: "The background engine stands on its own.",
      from: { path: "^src/jobs/" },
      to: { path: "^src/(services|http)/" },
    },
    {
      name: "lower-rooms-stay-low",
      severity: "error",
      comment: "channels, reports, storage, domain, db and lib never import the layers above them.",
      from: { path: "^src/(channels|reports|storage|domain|db|lib)/" },
      to: { path: "^src/(jobs|services|http)/" },
    },
    { name: "nothing-imports-a-route", severity: "error", from: { path: "^src/", pathNot: "^src/(app\\.ts|http/)" }, to: { path: "^src/http/routes/" } },
    { name: "not-to-tests", severity: "error", from: { path: "^src/" }, to: { path: "^(test|bench)/" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "worker-configuration\\.d\\.ts$" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
