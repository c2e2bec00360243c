import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { globSync } from "tinyglobby";
import { listApps, workspaceRoot } from "../workspace.js";
import { IGNORED } from "../app-files.js";
import { LEARNER_AUTHORED, generateStarter, readText } from "./generate.js";

export type StarterProblem =
  | { readonly slug: string; readonly file: string; readonly kind: "missing" | "differs" | "unexpected" }
  | { readonly slug: string; readonly file: "README.md"; readonly kind: "no-readme" };

/** Compares every exercise folder with the starter generated from its solution. */
export function checkStarters(root: string = workspaceRoot): StarterProblem[] {
  const problems: StarterProblem[] = [];
  for (const solution of listApps("solution", root)) {
    const exerciseDir = join(root, "exercises", solution.slug);
    const expected = generateStarter(solution.dir, solution.slug);
    const actual = existsSync(exerciseDir) ? ownedFiles(exerciseDir) : [];

    for (const [file, text] of expected) {
      const path = join(exerciseDir, file);
      if (!existsSync(path)) problems.push({ slug: solution.slug, file, kind: "missing" });
      else if (readText(path) !== text) problems.push({ slug: solution.slug, file, kind: "differs" });
    }
    for (const file of actual) {
      if (!expected.has(file)) problems.push({ slug: solution.slug, file, kind: "unexpected" });
    }
    if (!existsSync(join(exerciseDir, "README.md"))) problems.push({ slug: solution.slug, file: "README.md", kind: "no-readme" });
  }
  return problems;
}

/** Regenerates every exercise's starter from its solution; returns the files it wrote or removed. */
export function writeStarters(root: string = workspaceRoot): string[] {
  const changed: string[] = [];
  for (const solution of listApps("solution", root)) {
    const exerciseDir = join(root, "exercises", solution.slug);
    const expected = generateStarter(solution.dir, solution.slug);
    const stale = existsSync(exerciseDir) ? ownedFiles(exerciseDir).filter((file) => !expected.has(file)) : [];

    for (const file of stale) {
      rmSync(join(exerciseDir, file));
      changed.push(`exercises/${solution.slug}/${file} (removed)`);
    }
    for (const [file, text] of expected) {
      const path = join(exerciseDir, file);
      if (existsSync(path) && readText(path) === text) continue;
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      changed.push(`exercises/${solution.slug}/${file}`);
    }
  }
  return changed;
}

function ownedFiles(exerciseDir: string): string[] {
  return globSync("**/*", { cwd: exerciseDir, dot: true, ignore: [...IGNORED, ...LEARNER_AUTHORED] });
}

/** Writes one exercise's starter afresh from its solution, removing files the starter does not have. */
export function restoreStarterFromSolution(root: string, slug: string): void {
  const exerciseDir = join(root, "exercises", slug);
  const expected = generateStarter(join(root, "solutions", slug), slug);
  if (existsSync(exerciseDir)) {
    for (const file of ownedFiles(exerciseDir)) if (!expected.has(file)) rmSync(join(exerciseDir, file));
  }
  for (const [file, text] of expected) {
    mkdirSync(dirname(join(exerciseDir, file)), { recursive: true });
    writeFileSync(join(exerciseDir, file), text);
  }
}
