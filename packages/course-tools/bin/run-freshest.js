import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Runs a package's CLI from its compiled `dist/` (quick to start: learners wait on every `pnpm test`), unless a
 * source file is newer than the build, as while someone edits it: then from `src/` through tsx, so a command never
 * runs stale code. Checking costs a few file stats.
 *
 * @param {string} packageDir the package folder (with src/ and dist/)
 * @param {string} entry the entry's path inside src/ and dist/, without extension: "cli"
 */
export async function runFreshest(packageDir, entry) {
  const compiled = join(packageDir, "dist", `${entry}.js`);
  if (existsSync(compiled) && newestSource(join(packageDir, "src")) <= statSync(compiled).mtimeMs) {
    await import(pathToFileURL(compiled).href);
    return;
  }
  const { register } = await import("tsx/esm/api");
  register();
  await import(pathToFileURL(join(packageDir, "src", `${entry}.ts`)).href);
}

/** @param {string} dir */
function newestSource(dir) {
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
