import { cpSync, existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { createInterface } from "node:readline/promises";
import { createTwoFilesPatch } from "diff";
import pc from "picocolors";
import { globSync } from "tinyglobby";
import { UsageError } from "./errors.js";
import { readProgress, writeProgress } from "./progress.js";
import { IGNORED } from "./starters/generate.js";
import { restoreStarterFromSolution } from "./starters/sync.js";
import { findApp, workspaceRoot } from "./workspace.js";

/** Pristine starters shipped with the learner edition, which has no solutions to generate them from. */
export const STARTER_SNAPSHOTS = "starters";

interface GradedCheck {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly hints?: readonly string[];
}

/** `pnpm hint 02`: the next hint for the first failed check of exercise 02, one more each time. */
export async function hint(args: readonly string[], root = workspaceRoot): Promise<number> {
  const app = findApp("exercise", requireNumber(args, "hint"), root);
  const report = join(app.dir, "reports", "grade.json");
  if (!existsSync(report)) {
    console.log(`Grade it first: pnpm test ${app.number}`);
    return 1;
  }
  const grade = JSON.parse(readFileSync(report, "utf8")) as { status: string; checks: GradedCheck[] };
  const failed = grade.checks.find((check) => check.status === "failed");
  if (!failed) {
    console.log(grade.status === "passed" ? pc.green(`${app.slug} passes: no hint needed.`) : `Nothing failed in the last grade: run pnpm test ${app.number}`);
    return 0;
  }
  const hints = failed.hints ?? [];
  if (hints.length === 0) {
    console.log(`No hints for "${failed.name}": its message in pnpm test ${app.number} says what was expected.`);
    return 0;
  }
  const progress = readProgress(root);
  const entry = (progress.exercises[app.slug] ??= {});
  const shown = Math.min((entry.hintsShown?.[failed.id] ?? 0) + 1, hints.length);
  entry.hintsShown = { ...entry.hintsShown, [failed.id]: shown };
  writeProgress(root, progress);

  console.log(pc.bold(`💡 ${failed.name}`));
  hints.slice(0, shown).forEach((text, index) => console.log(`  ${index + 1}/${hints.length}  ${index === shown - 1 ? text : pc.dim(text)}`));
  console.log(pc.dim(shown < hints.length ? `\n  Still stuck? pnpm hint ${app.number} shows the next one.` : "\n  That was the last hint for this check."));
  return 0;
}

/** `pnpm reset 02`: puts the starter back, after a confirmation, keeping the learner's work in .course/backups. */
export async function reset(args: readonly string[], root = workspaceRoot): Promise<number> {
  const app = findApp("exercise", requireNumber(args, "reset"), root);
  const confirmed = await confirm(args, `Reset ${app.slug} to its starter? Your work is kept in .course/backups/.`);
  if (!confirmed) return 1;
  const backup = join(root, ".course", "backups", `${app.slug}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const generated = new Set(["node_modules", "reports", ".turbo"]);
  cpSync(app.dir, backup, { recursive: true, filter: (path) => !relative(app.dir, path).split(/[\\/]/).some((part) => generated.has(part)) });
  const snapshot = join(root, STARTER_SNAPSHOTS, app.slug);
  if (existsSync(join(root, "solutions", app.slug))) {
    restoreStarterFromSolution(root, app.slug);
  } else if (existsSync(snapshot)) {
    for (const file of globSync("**/*", { cwd: app.dir, dot: true, ignore: IGNORED })) rmSync(join(app.dir, file));
    cpSync(snapshot, app.dir, { recursive: true });
  } else {
    throw new UsageError(`No starter to restore ${app.slug} from (no solutions/ and no ${STARTER_SNAPSHOTS}/ folder).`);
  }
  console.log(pc.green(`${app.slug} is back to its starter.`) + pc.dim(` Your work: ${relative(root, backup)}`));
  return 0;
}

/** `pnpm solution 02`: the difference between the learner's exercise and the solution, shown only when asked. */
export async function solution(args: readonly string[], root = workspaceRoot): Promise<number> {
  const app = findApp("exercise", requireNumber(args, "solution"), root);
  const solutionDir = join(root, "solutions", app.slug);
  if (!existsSync(solutionDir)) {
    console.log("The solutions are not part of this edition of the course: your instructor has them.");
    return 1;
  }
  if (!(await confirm(args, `Show the solution of ${app.slug}? It gives the answer away.`))) return 1;
  const files = new Set([...listSources(join(app.dir, "src")), ...listSources(join(solutionDir, "src"))]);
  let differences = 0;
  for (const file of [...files].sort()) {
    const mine = readOrEmpty(join(app.dir, "src", file));
    const theirs = readOrEmpty(join(solutionDir, "src", file));
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

function requireNumber(args: readonly string[], command: string): string {
  const number = args.find((arg) => !arg.startsWith("-"));
  if (!number) throw new UsageError(`Usage: pnpm ${command} <number>   e.g. pnpm ${command} 02`);
  return number;
}

/** Asks y/N on a terminal; `--yes` answers for scripts. Without a terminal and without --yes, the answer is no. */
async function confirm(args: readonly string[], question: string): Promise<boolean> {
  if (args.includes("--yes") || args.includes("-y")) return true;
  if (!process.stdin.isTTY) {
    console.error(`${question}\nNo terminal to ask in: add --yes to confirm.`);
    return false;
  }
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(`${question} [y/N] `);
  prompt.close();
  return /^y(es)?$/i.test(answer.trim());
}
