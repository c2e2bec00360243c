import pc from "picocolors";
import { StarterError, UsageError } from "./errors.js";

const USAGE = `Usage: course <command>
  dev <number> [--solution]   serve an exercise (or its solution) with file watching
  hint <number>               the next hint for the exercise's first failed check
  reset <number> [--yes]      put the starter back (your work goes to .course/backups/)
  solution <number> [--yes]   show the difference between your exercise and the solution
  starters --write | --check  regenerate exercises/ from solutions/, or check they are up to date
  verify                      the course's full check (lint, typecheck, tests, grades, starters)
  bench [runs]                time the learner's, instructor's and CI's commands (median of runs)
  release-learner OUT         write the learner edition (no solutions, no hidden checks) to OUT
  turbo <args…>               turbo, with telemetry off`;

// Loaded on demand: `pnpm dev` should not pay for loading the verify code, and the other way round.
const COMMANDS: Record<string, () => Promise<(args: string[]) => Promise<number>>> = {
  dev: async () => (await import("./dev.js")).dev,
  starters: async () => (await import("./starters/command.js")).starters,
  verify: async () => (await import("./verify.js")).verify,
  bench: async () => (await import("./bench.js")).bench,
  "release-learner": async () => (await import("./release.js")).releaseLearner,
  hint: async () => (await import("./learner.js")).hint,
  reset: async () => (await import("./learner.js")).reset,
  solution: async () => (await import("./learner.js")).solution,
  turbo: async () => (await import("./turbo.js")).runTurbo,
};

const [name = "", ...args] = process.argv.slice(2);
const command = COMMANDS[name];
if (!command) {
  console.error(USAGE);
  process.exitCode = 2;
} else {
  try {
    process.exitCode = await (await command())(args);
  } catch (error) {
    // Our own errors are messages for a person; anything else is a bug worth its stack.
    if (error instanceof StarterError || error instanceof UsageError) {
      console.error(pc.red(error.message));
      process.exitCode = 2;
    } else {
      throw error;
    }
  }
}
