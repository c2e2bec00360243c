import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Several tests release an edition, import the grader's build or run the course's commands: on a loaded machine
    // (CI beside other jobs) one of them outlasted vitest's 5 s. Limits sized for that, not for a quiet laptop.
    testTimeout: 60_000,
    hookTimeout: 300_000,
  },
});
