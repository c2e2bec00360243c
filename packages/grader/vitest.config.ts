import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The grader's own tests. The hidden suite (src/checks) runs through the grader's CLI, never through vitest.
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    pool: "forks",
    // Many tests run the grader's CLI, which starts an app process per exercise: on a loaded 2-core machine (two
    // pnpm verify at once) one of them took 49 s.
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
