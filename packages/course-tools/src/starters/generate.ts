import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import { packageNameFor } from "../workspace.js";
import { StarterError } from "../errors.js";
import { IGNORED } from "../app-files.js";
import { replaceRegions } from "./regions.js";
import { parseStarterTodos } from "./todos.js";

/**
 * Files a solution has and its starter does not: its tests (the grader grades starters), its notes, and the
 * starter.md the TODOs come from. The exercise's README.md is written for learners, by hand, in the exercise.
 */
const SOLUTION_ONLY = ["test/**", "vitest.config.*", "starter.md", "README.md"];

/** Files in an exercise folder that the generator does not own. */
export const LEARNER_AUTHORED = ["README.md"];

/**
 * The files of the starter generated from one solution: relative paths (with `/`) and their text. Regions become
 * starter.md's TODO stubs; package.json gets the exercise's name and loses the solution's test script.
 */
export function generateStarter(solutionDir: string, slug: string): Map<string, string> {
  const todosFile = join(solutionDir, "starter.md");
  const stubs = existsSync(todosFile) ? parseStarterTodos(readText(todosFile), `solutions/${slug}/starter.md`) : new Map<string, string>();
  const unused = new Set(stubs.keys());
  const files = new Map<string, string>();

  for (const path of globSync("**/*", { cwd: solutionDir, dot: true, ignore: [...IGNORED, ...SOLUTION_ONLY] }).sort()) {
    const source = readText(join(solutionDir, path));
    if (path === "package.json") {
      files.set(path, starterManifest(source, slug));
    } else if (/\.[cm]?[jt]sx?$/.test(path)) {
      const { text, replaced } = replaceRegions(source, `solutions/${slug}/${path}`, stubs);
      replaced.forEach((name) => unused.delete(name));
      files.set(path, text);
    } else {
      files.set(path, source);
    }
  }

  if (unused.size > 0) {
    const names = [...unused].map((name) => `"${name}"`).join(", ");
    throw new StarterError(`solutions/${slug}/starter.md: no region in the solution is named ${names}.`);
  }
  return files;
}

function starterManifest(source: string, slug: string): string {
  const manifest = JSON.parse(source) as { name?: string; scripts?: Record<string, string> };
  manifest.name = packageNameFor("exercise", slug);
  // The learner's command is the grader's; the solution's own tests do not come along.
  delete manifest.scripts?.test;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Text with Windows line endings folded, so a checkout with core.autocrlf compares equal. */
export function readText(file: string): string {
  return readFileSync(file, "utf8").replace(/\r\n/g, "\n");
}
