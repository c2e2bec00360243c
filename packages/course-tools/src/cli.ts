import { existsSync } from "node:fs";
import pc from "picocolors";
import { commandLabel } from "./args.js";
import { CommandError, StarterError, UsageError } from "./errors.js";

export type Command = (args: string[]) => Promise<number>;

/** A command of `course`: how it is called and what it does (for `course --help`), and its code, loaded on demand. */
export interface CommandEntry {
  readonly synopsis: string;
  readonly summary: string;
  readonly load: () => Promise<Command>;
}
export type CommandTable = Readonly<Record<string, CommandEntry>>;

function usage(commands: CommandTable): string {
  const width = Math.max(...Object.values(commands).map((entry) => entry.synopsis.length));
  const lines = Object.values(commands).map((entry) => `  ${entry.synopsis.padEnd(width)}  ${entry.summary}`);
  return ["Usage: course <command> [--help]   (behind the root scripts: pnpm dev 01, pnpm hint 01…)", ...lines].join(
    "\n",
  );
}

// Loaded on demand: `pnpm dev` should not pay for loading the verify code, and the other way round.
const LEARNER_COMMANDS: CommandTable = {
  dev: {
    synopsis: "dev <NN> [--solution]",
    summary: "serve an exercise (or its solution) with file watching",
    load: async () => (await import("./dev.js")).dev,
  },
  hint: {
    synopsis: "hint <NN>",
    summary: "the next hint for the exercise's first failed check, from a fresh grade",
    load: async () => (await import("./hint.js")).hint,
  },
  reset: {
    synopsis: "reset <NN> [--yes]",
    summary: "put the starter back (your work goes to .course/backups/)",
    load: async () => (await import("./reset.js")).reset,
  },
  turbo: {
    synopsis: "turbo <args…>",
    summary: "turbo, with telemetry off",
    load: async () => (await import("./turbo.js")).runTurbo,
  },
};

/**
 * The course's own commands (solution, starters, verify, bench, release-learner) need solutions/ or make the
 * learner edition, which ships without them and without this module: a computed path, so that it compiles there.
 */
async function courseCommands(): Promise<CommandTable> {
  const module = "./course-commands.js";
  const present = [".js", ".ts"].some((extension) =>
    existsSync(new URL(module.replace(/\.js$/, extension), import.meta.url)),
  );
  return present ? ((await import(module)) as { COURSE_COMMANDS: CommandTable }).COURSE_COMMANDS : {};
}

const [name = "", ...args] = process.argv.slice(2);
let label = "course";
try {
  const commands = { ...LEARNER_COMMANDS, ...(await courseCommands()) };
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (entry) label = commandLabel("course", name);
  if (name === "--help" || name === "-h") {
    console.log(usage(commands));
  } else if (!entry) {
    throw new UsageError(
      name ? `unknown command "${name}". course --help lists them.` : "which command? course --help lists them.",
    );
  } else {
    process.exitCode = await (await entry.load())(args);
  }
} catch (error) {
  // Our own errors are messages for a person, one line naming the command typed (a starter's names its file and
  // line instead); anything else is a bug worth its stack.
  if (!(error instanceof CommandError)) throw error;
  console.error(pc.red(error instanceof StarterError ? error.message : `${label}: ${error.message}`));
  process.exitCode = 2;
}
