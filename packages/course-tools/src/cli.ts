import { existsSync } from "node:fs";
import pc from "picocolors";
import { commandLabel } from "./args.js";
import { StarterError, UsageError } from "./errors.js";

export type Command = (args: string[]) => Promise<number>;
export type CommandTable = Readonly<Record<string, () => Promise<Command>>>;

const USAGE = `Usage: course <command> [--help]
  dev <NN> [--solution]       serve an exercise (or its solution) with file watching
  hint <NN>                   the next hint for the exercise's first failed check, from a fresh grade
  reset <NN> [--yes]          put the starter back (your work goes to .course/backups/)
  solution <NN> [--yes]       show the difference between your exercise and the solution
  starters --write | --check  regenerate exercises/ from solutions/, or check they are up to date
  verify                      the course's full check (lint, typecheck, tests, grades, starters)
  bench [runs]                time the learner's, instructor's and CI's commands (median of runs)
  release-learner OUT --through NN | --update DIR --through NN
                              write (or update) the learner edition, exercises 01…NN
  turbo <args…>               turbo, with telemetry off`;

// Loaded on demand: `pnpm dev` should not pay for loading the verify code, and the other way round.
const LEARNER_COMMANDS: CommandTable = {
  dev: async () => (await import("./dev.js")).dev,
  hint: async () => (await import("./hint.js")).hint,
  reset: async () => (await import("./reset.js")).reset,
  turbo: async () => (await import("./turbo.js")).runTurbo,
};

/**
 * The course's own commands (solution, starters, verify, bench, release-learner) need solutions/ or make the
 * learner edition, which ships without them and without this module: a computed path, so that it compiles there.
 */
async function courseCommands(): Promise<CommandTable> {
  const module = "./course-commands.js";
  const present = [".js", ".ts"].some((extension) => existsSync(new URL(module.replace(/\.js$/, extension), import.meta.url)));
  return present ? ((await import(module)) as { COURSE_COMMANDS: CommandTable }).COURSE_COMMANDS : {};
}

const [name = "", ...args] = process.argv.slice(2);
let label = "course";
try {
  const commands = { ...LEARNER_COMMANDS, ...(await courseCommands()) };
  const load = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (load) label = commandLabel("course", name);
  if (name === "--help" || name === "-h") {
    console.log(USAGE);
  } else if (!load) {
    throw new UsageError(name ? `unknown command "${name}". course --help lists them.` : "which command? course --help lists them.");
  } else {
    process.exitCode = await (await load())(args);
  }
} catch (error) {
  // Our own errors are messages for a person, one line naming the command typed; anything else is a bug worth its stack.
  if (error instanceof UsageError) {
    console.error(pc.red(`${label}: ${error.message}`));
    process.exitCode = 2;
  } else if (error instanceof StarterError) {
    console.error(pc.red(error.message));
    process.exitCode = 2;
  } else {
    throw error;
  }
}
