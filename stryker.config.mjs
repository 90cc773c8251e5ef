// Mutation testing (issue 14): `npm run test:mutation` mutates the domain modules and runs the Vitest unit
// suite against each mutant. A surviving mutant is a line that can be wrong without any test noticing.
// Survivors that cannot change behaviour (equivalent mutants) are listed in mutation-notes.md.
// Pass files to mutate only some: `npm run test:mutation -- --mutate app/cohorts/most-missed.ts`.
// The test runners are started after this file is read and inherit this: scrypt-heavy login tests can take
// longer than Vitest's usual 30 s while mutants run beside other work.
process.env.TEST_TIMEOUT_MS ??= "120000";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  vitest: { configFile: "vitest.config.ts" },
  mutate: ["app/learning/**/*.ts", "app/cohorts/**/*.ts", "app/reports/**/*.server.ts", "app/accounts/**/*.ts", "!app/**/*.tsx"],
  coverageAnalysis: "perTest",
  reporters: ["clear-text", "progress", "html"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  // With `--reporters clear-text,event-recorder`, each mutant's result is written as it is tested, so a run
  // stopped early still leaves its results (MUTATION_EVENTS_DIR keeps two runs apart).
  eventReporter: { baseDir: process.env.MUTATION_EVENTS_DIR ?? "reports/mutation/events" },
  concurrency: 2,
  timeoutMS: 30000,
  // The first run of the whole suite with coverage takes minutes on a shared 2-core machine.
  dryRunTimeoutMinutes: 30,
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  ignoreStatic: true,
};
