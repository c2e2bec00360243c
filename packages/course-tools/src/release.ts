import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import pc from "picocolors";
import { UsageError } from "./errors.js";
import { pnpmCommand } from "./pnpm.js";
import { STARTER_SNAPSHOTS } from "./learner.js";
import { workspaceRoot } from "./workspace.js";

/** What the learner edition leaves out: answers, hidden checks, the grader's own tests, and course-only tooling. */
const LEFT_OUT = [
  /^solutions\//,
  /^packages\/grader\/src\/checks\/hidden\//,
  /^packages\/grader\/test\//,
  /^packages\/grader\/vitest\.config\.ts$/,
  /^packages\/course-tools\/test\//,
  // It drives the solutions in a browser: it needs solutions/, which the edition does not have.
  /^packages\/browser-tests\//,
  /^\.changeset\//,
  /^\.ci\//,
  /^\.github\//,
  /^docs\//,
  /^templates\//,
  /^README\.md$/,
];

const TEMPLATE = "templates/learner/";

/** Root scripts a learner uses; the others (verify, starters, bench, test:solutions…) need the course's solutions. */
const LEARNER_SCRIPTS = ["prepare", "build", "dev", "watch", "hint", "reset", "solution", "lint", "typecheck", "test", "grade"];

/**
 * `pnpm release:learner OUT`: writes the repository a learner receives. Exercises, cookie-utils, the lesson and
 * the grader with only its visible checks (and a manifest to match); no solutions, no hidden checks; its own
 * README, GitHub workflow and lockfile. `pnpm install && pnpm test` works there on its own.
 */
export async function releaseLearner(args: readonly string[]): Promise<number> {
  const target = args.find((arg) => !arg.startsWith("-"));
  if (!target) throw new UsageError("Usage: pnpm release:learner OUT   (OUT: a new or empty folder)");
  const out = resolve(target);
  if (existsSync(out) && readdirSync(out).length > 0) throw new UsageError(`${out} is not empty: give a new or empty folder.`);

  const files = editionFiles();
  for (const file of files) {
    const destinations = [join(out, file.startsWith(TEMPLATE) ? file.slice(TEMPLATE.length) : file)];
    // Pristine starters, for `pnpm reset` (the edition has no solutions to generate them from).
    if (file.startsWith("exercises/")) destinations.push(join(out, STARTER_SNAPSHOTS, file.slice("exercises/".length)));
    for (const destination of destinations) {
      mkdirSync(dirname(destination), { recursive: true });
      copyFileSync(join(workspaceRoot, file), destination);
    }
  }
  rewriteJson(join(out, "package.json"), (manifest) => {
    manifest.scripts = Object.fromEntries(Object.entries(manifest.scripts as Record<string, string>).filter(([name]) => LEARNER_SCRIPTS.includes(name)));
    delete (manifest.devDependencies as Record<string, string>)["@changesets/cli"];
  });
  rewriteJson(join(out, "packages/grader/package.json"), (manifest) => {
    delete (manifest.scripts as Record<string, string>).test;
  });
  const workspaceFile = join(out, "pnpm-workspace.yaml");
  writeFileSync(workspaceFile, readFileSync(workspaceFile, "utf8").replace(/^ {2}- solutions\/\*\n/m, ""));
  await recordSuiteManifest(join(out, "packages/grader"));
  if (!args.includes("--no-lockfile")) pruneLockfile(out);
  console.log(pc.green(`Wrote the learner edition to ${out} (${files.length} files).`));
  console.log(pc.dim(`Try it: cd ${out} && pnpm install && pnpm test`));
  return 0;
}

/** The course's files (tracked, or new and not ignored), less what the edition leaves out, plus the template. */
function editionFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: workspaceRoot, encoding: "utf8" })
    .split("\0")
    .filter((file) => file !== "" && existsSync(join(workspaceRoot, file)));
  return listed.filter((file) => file.startsWith(TEMPLATE) || !LEFT_OUT.some((pattern) => pattern.test(file))).sort();
}

/** The edition's suite is smaller than the course's: its manifest is made with the grader's own code. */
async function recordSuiteManifest(graderDir: string): Promise<void> {
  const manifestModule = join(workspaceRoot, "packages/grader/dist/manifest.js");
  const { writeManifest } = (await import(pathToFileURL(manifestModule).href)) as { writeManifest(root: string): void };
  writeManifest(graderDir);
}

/** The course's lockfile, without the packages the edition leaves out (pnpm resolves nothing new). */
function pruneLockfile(out: string): void {
  const [command, args] = pnpmCommand("install", "--lockfile-only", "--ignore-scripts");
  const result = spawnSync(command, args, {
    cwd: out,
    stdio: "inherit",
    shell: process.platform === "win32" && command === "pnpm",
  });
  if (result.status !== 0) throw new Error(`pnpm install --lockfile-only failed in ${out}`);
}

function rewriteJson(file: string, change: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  change(value);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
