import type { CommandTable } from "./cli.js";

/** Commands for the course's own repository: they need solutions/, or make the learner edition. Not in the edition. */
export const COURSE_COMMANDS: CommandTable = {
  solution: async () => (await import("./solution.js")).solution,
  starters: async () => (await import("./starters/command.js")).starters,
  verify: async () => (await import("./verify.js")).verify,
  bench: async () => (await import("./bench.js")).bench,
  "release-learner": async () => (await import("./release.js")).releaseLearner,
};
