import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", ["json", { outputFile: "reports/vitest.json" }]],
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text", "json-summary"],
      // The library is small and security-relevant: every line and branch is tested, and stays so.
      thresholds: { lines: 100, branches: 100, functions: 100, statements: 100 },
    },
  },
});
