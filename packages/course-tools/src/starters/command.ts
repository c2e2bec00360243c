import pc from "picocolors";
import { parseCommandArgs } from "../args.js";
import { UsageError } from "../errors.js";
import { checkStarters, writeStarters } from "./sync.js";
import { checkExerciseTables, writeExerciseTables } from "./tables.js";

const USAGE = `Usage: pnpm starters              regenerate exercises/ from solutions/, and the READMEs' exercise tables
       course starters --check     check that every starter and table is up to date (part of pnpm verify)`;

const EXPLAIN: Record<string, string> = {
  missing: "is missing",
  differs: "differs from what its solution generates",
  unexpected: "is not generated from the solution",
  "no-readme": "is missing: every exercise needs a README for learners",
};

const TABLE_EXPLAIN: Record<string, string> = {
  differs: "has an exercise table that differs from the exercises' README titles",
  "no-markers": "has lost the markers around its exercise table",
};

/** `course starters --write | --check`: the starters, and the exercise tables of the READMEs, both derived. */
export async function starters(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: { write: { type: "boolean" }, check: { type: "boolean" } } });
  if (!parsed) return 0;
  if (parsed.values.write === parsed.values.check) throw new UsageError("give one of --write or --check.");
  if (parsed.values.write) {
    const changed = [...writeStarters(), ...writeExerciseTables()];
    console.log(changed.length === 0 ? "Starters are up to date." : `Regenerated:\n  ${changed.join("\n  ")}`);
    return 0;
  }
  const problems = checkStarters();
  const tables = checkExerciseTables();
  if (problems.length === 0 && tables.length === 0) {
    console.log(pc.green("✓ Every starter matches its solution, and every exercise table its exercises."));
    return 0;
  }
  for (const problem of problems) {
    console.error(pc.red(`✗ exercises/${problem.slug}/${problem.file} ${EXPLAIN[problem.kind]}`));
  }
  for (const table of tables) console.error(pc.red(`✗ ${table.file} ${TABLE_EXPLAIN[table.kind]}`));
  if (problems.length > 0) {
    console.error("Starters are generated: edit solutions/<slug> (code and starter.md), then run `pnpm starters`.");
    // The usual cause is an exercise worked in this checkout: regenerating would erase that work.
    console.error("`pnpm starters` overwrites exercises/: if you worked an exercise here, keep that work first (git stash).");
  }
  if (tables.length > 0) console.error("Exercise tables are generated: edit the exercise's README title, then run `pnpm starters`.");
  return 1;
}
