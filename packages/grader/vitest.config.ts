import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The grader's own tests; specs/ are the hidden suite, run only through the grader's CLI.
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
