import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The grader's own tests. The hidden suite (src/checks) runs through the grader's CLI, never through vitest.
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
