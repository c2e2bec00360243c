import { spawn } from "node:child_process";
import { join } from "node:path";
import pc from "picocolors";
import { parseCommandArgs } from "../args.js";
import { UsageError } from "../errors.js";
import { pnpmCommand } from "../pnpm.js";
import { writeExerciseTables } from "../starters/tables.js";
import { writeStarters } from "../starters/sync.js";
import { workspaceRoot } from "../workspace.js";
import { scaffoldExercise } from "./scaffold.js";
import { AUTHOR_TODO } from "./templates.js";

const USAGE = `Usage: pnpm new-exercise <slug>   e.g. pnpm new-exercise sign-cookie
  Adds the exercise after the last one (NN = last + 1): its solution, grown from the previous one, starter.md, the
  learner's README and the grader's check modules, each with ${AUTHOR_TODO} where the author writes; then generates
  its starter, records the grader's manifest and runs pnpm install. It prints the files left to write.`;

/** Runs a step that is a program of its own (pnpm install, the grader's manifest); resolves to its exit code. */
export type StepRunner = (command: string, args: readonly string[], cwd: string) => Promise<number>;

const runStep: StepRunner = (command, args, cwd) =>
  new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code) => resolve(code ?? 1));
  });

/** `pnpm new-exercise <slug>`: an instructor's command, left out of the learner edition with the solutions. */
export async function newExercise(
  args: readonly string[],
  root: string = workspaceRoot,
  run: StepRunner = runStep,
): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: {}, maxPositionals: 1 });
  if (!parsed) return 0;
  const [name] = parsed.positionals;
  if (!name) throw new UsageError("which slug? e.g. pnpm new-exercise sign-cookie");

  const scaffold = scaffoldExercise(name, root);
  const { slug, number, previous } = scaffold.names;
  console.log(pc.bold(`New exercise ${slug}, grown from ${previous}:`));
  for (const path of scaffold.created) console.log(`  + ${path}`);
  for (const path of scaffold.changed) console.log(`  ~ ${path}`);

  const generated = [...writeStarters(root), ...writeExerciseTables(root)];
  console.log(pc.bold("\nGenerated (pnpm starters):"));
  for (const path of generated) console.log(`  ${path}`);

  // The check modules are part of the hidden suite: without a new manifest the grader refuses to grade.
  const steps: [string, string, string[]][] = [
    [
      "the grader's manifest (pnpm grader:manifest)",
      process.execPath,
      [join(root, "packages", "grader", "bin", "cookie-grader.js"), "manifest"],
    ],
    ["pnpm install, which links the new packages", ...pnpmCommand("install")],
  ];
  for (const [what, command, commandArgs] of steps) {
    console.log(pc.bold(`\n${what}`));
    const code = await run(command, commandArgs, root);
    if (code !== 0) {
      console.error(pc.red(`${what} failed (exit ${code}): run it again once its output above is dealt with.`));
      return 1;
    }
  }

  console.log(pc.bold(`\nNext: write these ${scaffold.toWrite.length} files (each ${AUTHOR_TODO} marks a place):`));
  const why: Record<string, string> = {
    [scaffold.toWrite[0]!]: "the new code, in the region at the end of createApp()",
    [scaffold.toWrite[1]!]: "the 🐨 TODO the starter shows in its place",
    [scaffold.toWrite[2]!]: `a test of the new behaviour (the tests copied from ${previous} can go then)`,
    [scaffold.toWrite[3]!]: "the checks, with points, hints and messages that teach",
    [scaffold.toWrite[4]!]: "the learner's README; its title is the exercise's row in the READMEs' tables",
  };
  const fixtures = scaffold.toWrite[5];
  if (fixtures)
    why[fixtures] =
      "the grader's fixtures: at least eight, right and wrong, each a few edits of the solution and its verdict";
  scaffold.toWrite.forEach((path, index) => console.log(`  ${index + 1}. ${path}: ${why[path] ?? ""}`));
  console.log(`Optional: hidden checks in packages/grader/src/checks/hidden/${slug}.ts; the lesson's section for it.`);
  console.log(`Then: pnpm starters, pnpm grader:manifest, pnpm test:solutions ${number} and pnpm verify.`);
  return 0;
}
