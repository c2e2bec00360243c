import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { confirm, type Terminal } from "./confirm.js";
import { UsageError } from "./errors.js";
import { withoutRegionMarkers } from "./starters/regions.js";
import { findApp, workspaceRoot } from "./workspace.js";

const USAGE = `Usage: pnpm solution <NN> [--yes]   e.g. pnpm solution 02
  Shows the difference between your exercise and its solution, after a confirmation (it gives the answer away).
  --yes   confirm without asking`;

/** `pnpm solution 02`: the difference between the learner's exercise and the solution, shown only when asked. */
export async function solution(args: readonly string[], root = workspaceRoot, terminal?: Terminal): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: { yes: { type: "boolean", short: "y" } }, maxPositionals: 1 });
  if (!parsed) return 0;
  const [number] = parsed.positionals;
  if (!number) throw new UsageError("which exercise? e.g. pnpm solution 02");
  const app = findApp("exercise", number, root);
  const solutionDir = join(root, "solutions", app.slug);
  if (!existsSync(solutionDir)) throw new UsageError("the solutions are not part of this edition of the course: your instructor has them.");
  if (
    !(await confirm(
      parsed.values.yes,
      `Show the solution of ${app.slug}? It gives the answer away.`,
      terminal,
    ))
  ) {
    console.log("Nothing shown.");
    return 0;
  }
  const files = new Set([...listSources(join(app.dir, "src")), ...listSources(join(solutionDir, "src"))]);
  let differences = 0;
  for (const file of [...files].sort()) {
    const mine = readOrEmpty(join(app.dir, "src", file));
    // The generator's region markers are not part of the answer.
    const theirs = withoutRegionMarkers(readOrEmpty(join(solutionDir, "src", file)));
    if (mine === theirs) continue;
    differences++;
    const patch = createTwoFilesPatch(`exercises/${app.slug}/src/${file}`, `solutions/${app.slug}/src/${file}`, mine, theirs, "", "", { context: 3 });
    for (const line of patch.split("\n")) {
      console.log(line.startsWith("+") && !line.startsWith("+++") ? pc.green(line) : line.startsWith("-") && !line.startsWith("---") ? pc.red(line) : line);
    }
  }
  if (differences === 0) console.log(pc.green(`Your ${app.slug} is the solution, to the letter.`));
  return 0;
}

function listSources(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => relative(dir, join(entry.parentPath, entry.name)).replace(/\\/g, "/")) : [];
}

function readOrEmpty(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").replace(/\r\n/g, "\n") : "";
}
