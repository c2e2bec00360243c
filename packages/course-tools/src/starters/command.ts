import pc from "picocolors";
import { parseCommandArgs } from "../args.js";
import { UsageError } from "../errors.js";
import { checkStarters, writeStarters } from "./sync.js";

const USAGE = `Usage: pnpm starters              regenerate exercises/ from solutions/ (course starters --write)
       course starters --check     check that every starter matches its solution (part of pnpm verify)`;

const EXPLAIN: Record<string, string> = {
  missing: "is missing",
  differs: "differs from what its solution generates",
  unexpected: "is not generated from the solution",
  "no-readme": "is missing: every exercise needs a README for learners",
};

/** `course starters --write | --check`. */
export async function starters(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: { write: { type: "boolean" }, check: { type: "boolean" } } });
  if (!parsed) return 0;
  if (parsed.values.write === parsed.values.check) throw new UsageError("give one of --write or --check.");
  if (parsed.values.write) {
    const changed = writeStarters();
    console.log(changed.length === 0 ? "Starters are up to date." : `Regenerated:\n  ${changed.join("\n  ")}`);
    return 0;
  }
  const problems = checkStarters();
  if (problems.length === 0) {
    console.log(pc.green("✓ Every starter matches its solution."));
    return 0;
  }
  for (const problem of problems) {
    console.error(pc.red(`✗ exercises/${problem.slug}/${problem.file} ${EXPLAIN[problem.kind]}`));
  }
  console.error("Starters are generated: edit solutions/<slug> (code and starter.md), then run `pnpm starters`.");
  return 1;
}
