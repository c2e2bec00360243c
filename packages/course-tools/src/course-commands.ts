import type { CommandTable } from "./cli.js";

/** Commands for the course's own repository: they need solutions/, or make the learner edition. Not in the edition. */
export const COURSE_COMMANDS: CommandTable = {
  solution: {
    synopsis: "solution <NN> [--yes]",
    summary: "show the difference between your exercise and the solution",
    load: async () => (await import("./solution.js")).solution,
  },
  starters: {
    synopsis: "starters --write | --check",
    summary: "regenerate exercises/ from solutions/, or check they are up to date",
    load: async () => (await import("./starters/command.js")).starters,
  },
  verify: {
    synopsis: "verify",
    summary: "the course's full check (lint, typecheck, tests, grades, starters)",
    load: async () => (await import("./verify.js")).verify,
  },
  bench: {
    synopsis: "bench [runs]",
    summary: "time the learner's, instructor's and CI's commands (median of runs)",
    load: async () => (await import("./bench.js")).bench,
  },
  "new-exercise": {
    synopsis: "new-exercise <slug>",
    summary: "add the exercise after the last one, grown from the previous solution, and list the files left to write",
    load: async () => (await import("./new-exercise/command.js")).newExercise,
  },
  "release-learner": {
    synopsis: "release-learner OUT --through NN",
    summary: "write (or update) the learner edition, exercises 01…NN",
    load: async () => (await import("./release.js")).releaseLearner,
  },
};
