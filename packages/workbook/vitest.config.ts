import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Some tests start the workbook with its warm grader and app processes: sized for a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
