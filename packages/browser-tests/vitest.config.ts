import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Writes or removes reports/browser-skipped.txt, and warns once when Chromium is missing.
    globalSetup: ["./src/global-setup.ts"],
    // Each file launches its own Chromium, itself several busy processes: one file per two cores runs fastest
    // (on 2 cores, one file at a time took 18 s where two took 23-26 s).
    maxWorkers: Math.max(1, Math.floor(availableParallelism() / 2)),
    // Chromium under load (two pnpm verify at once on 2 cores) can take many seconds to launch and navigate, and a
    // workbook's first grade of the whole course took over 3 minutes at load 24 (it takes 4 s on a quiet machine).
    testTimeout: 240_000,
    hookTimeout: 300_000,
  },
});
