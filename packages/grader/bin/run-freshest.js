import { existsSync, readdirSync, statSync } from "node:fs";
import { register } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * The export condition under which a workspace package's exports name its `src/` (TypeScript) instead of its
 * `dist/`: the grader's package.json has it on each export. Scoped to the course, so no other package's own
 * `source` condition is picked up.
 */
export const SOURCE_CONDITION = "cookie-course-source";

/**
 * Runs a package's CLI from its compiled `dist/` (quick to start: learners wait on every `pnpm test`), unless a
 * source file is newer than the build, as while someone edits it: then from `src/` through tsx, so a command never
 * runs stale code. The workspace packages it imports (`uses`: the grader, for course-tools) count too: when one of
 * them is not built, or built before its last edit (a fresh clone's `pnpm install` runs `course turbo run build`
 * before anything is built), the CLI runs from `src/` and imports those packages from their `src/` as well.
 * Checking costs a few file stats.
 *
 * @param {string} packageDir the package folder (with src/ and dist/)
 * @param {string} entry the entry's path inside src/ and dist/, without extension: "cli"
 * @param {{ uses?: readonly string[] }} [options] folders of the workspace packages the CLI imports
 */
export async function runFreshest(packageDir, entry, { uses = [] } = {}) {
  const compiled = join(packageDir, "dist", `${entry}.js`);
  const fresh =
    existsSync(compiled) && newest(join(packageDir, "src")) <= statSync(compiled).mtimeMs && uses.every(isBuilt);
  if (fresh) {
    await import(pathToFileURL(compiled).href);
    return;
  }
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  register(new URL("./source-condition.js", import.meta.url));
  await import(pathToFileURL(join(packageDir, "src", `${entry}.ts`)).href);
}

/** Whether a package's dist/ was built after its src/ last changed. */
function isBuilt(packageDir) {
  const dist = join(packageDir, "dist");
  return existsSync(dist) && newest(join(packageDir, "src")) <= newest(dist);
}

/** @param {string} dir */
function newest(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** @param {string} binUrl import.meta.url of a bin file in <package>/bin/ */
export function packageDirOf(binUrl) {
  return fileURLToPath(new URL("..", binUrl));
}
