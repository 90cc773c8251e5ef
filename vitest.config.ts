import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": path.resolve(import.meta.dirname, "app") } },
  test: {
    // MUTATION_TESTS (comma-separated globs) narrows a mutation run to the test files that cover the mutated
    // module, on a busy machine; a narrower set can only kill fewer mutants, so the score is a lower bound.
    include: process.env.MUTATION_TESTS ? process.env.MUTATION_TESTS.split(",") : ["test/unit/**/*.test.ts"],
    environment: "node",
    // Mutation runs share a busy machine with other work: stryker.config.mjs raises this.
    testTimeout: Number(process.env.TEST_TIMEOUT_MS ?? 30_000),
    // A file's first hook creates and migrates its database: on a loaded machine (or on PostgreSQL, a new
    // database per file) that has taken more than 10 s, which failed a whole file for no fault of its own.
    hookTimeout: Number(process.env.TEST_TIMEOUT_MS ?? 30_000),
    pool: "forks",
  },
});
