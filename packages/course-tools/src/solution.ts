import { existsSync } from "node:fs";
import { join } from "node:path";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { confirm, type Terminal } from "./confirm.js";
import { UsageError } from "./errors.js";
import { solutionPatches } from "./solution-diff.js";
import { findApp, workspaceRoot } from "./workspace.js";

const USAGE = `Usage: pnpm solution <NN> [--yes]   e.g. pnpm solution 02
  Shows the difference between your exercise and its solution, after a confirmation (it gives the answer away).
  --yes   confirm without asking`;

/** `pnpm solution 02`: the difference between the learner's exercise and the solution, shown only when asked. */
export async function solution(args: readonly string[], root = workspaceRoot, terminal?: Terminal): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE,
    options: { yes: { type: "boolean", short: "y" } },
    maxPositionals: 1,
  });
  if (!parsed) return 0;
  const [number] = parsed.positionals;
  if (!number) throw new UsageError("which exercise? e.g. pnpm solution 02");
  const app = findApp("exercise", number, root);
  const solutionDir = join(root, "solutions", app.slug);
  if (!existsSync(solutionDir))
    throw new UsageError("the solutions are not part of this edition of the course: your instructor has them.");
  if (!(await confirm(parsed.values.yes, `Show the solution of ${app.slug}? It gives the answer away.`, terminal))) {
    console.log("Nothing shown.");
    return 0;
  }
  const patches = solutionPatches(app.slug, app.dir, solutionDir);
  for (const { patch } of patches) {
    for (const line of patch.split("\n")) {
      console.log(
        line.startsWith("+") && !line.startsWith("+++")
          ? pc.green(line)
          : line.startsWith("-") && !line.startsWith("---")
            ? pc.red(line)
            : line,
      );
    }
  }
  if (patches.length === 0) console.log(pc.green(`Your ${app.slug} is the solution, to the letter.`));
  return 0;
}
