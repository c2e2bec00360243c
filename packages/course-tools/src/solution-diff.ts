import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { createTwoFilesPatch } from "diff";
import { withoutRegionMarkers } from "./starters/regions.js";

/** One file where the learner's exercise and the solution differ, as a unified diff. */
export interface SolutionPatch {
  /** The file's path inside `src/`: "app.ts". */
  readonly file: string;
  readonly patch: string;
}

/**
 * The difference between a learner's exercise and its solution, file by file (`pnpm solution NN`, and the
 * instructor edition's workbook): only the files that differ, without the generator's region markers, which are
 * no part of the answer.
 */
export function solutionPatches(slug: string, exerciseDir: string, solutionDir: string): SolutionPatch[] {
  const files = new Set([...listSources(join(exerciseDir, "src")), ...listSources(join(solutionDir, "src"))]);
  const patches: SolutionPatch[] = [];
  for (const file of [...files].sort()) {
    const mine = readOrEmpty(join(exerciseDir, "src", file));
    const theirs = withoutRegionMarkers(readOrEmpty(join(solutionDir, "src", file)));
    if (mine === theirs) continue;
    patches.push({
      file,
      patch: createTwoFilesPatch(
        `exercises/${slug}/src/${file}`,
        `solutions/${slug}/src/${file}`,
        mine,
        theirs,
        "",
        "",
        { context: 3 },
      ),
    });
  }
  return patches;
}

function listSources(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(dir, join(entry.parentPath, entry.name)).replace(/\\/g, "/"))
    : [];
}

function readOrEmpty(file: string): string {
  return existsSync(file) ? readFileSync(file, "utf8").replace(/\r\n/g, "\n") : "";
}
