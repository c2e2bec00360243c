import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { writeManifest } from "@cookie-course/grader/manifest";
import { STARTER_SNAPSHOTS } from "../app-files.js";
import { listApps, workspaceRoot, type CourseApp } from "../workspace.js";
import { unlinkMissing, withoutSection } from "./markdown.js";

/**
 * What the learner edition leaves out: answers, hidden checks, the grader's own tests, and the course's own
 * tooling (the instructor's commands, their code, the course's CI and docs).
 */
const LEFT_OUT = [
  /^solutions\//,
  /^packages\/grader\/src\/checks\/hidden\//,
  /^packages\/grader\/test\//,
  /^packages\/grader\/vitest\.config\.ts$/,
  // course-tools' instructor commands (solution, starters, verify, bench, new-exercise, release) and its tests.
  /^packages\/course-tools\/src\/(course-commands|course-layout|solution|solution-diff|verify|bench|release)\.ts$/,
  /^packages\/course-tools\/src\/(starters|new-exercise|release)\//,
  /^packages\/course-tools\/test\//,
  /^packages\/course-tools\/vitest\.config\.ts$/,
  /^packages\/course-tools\/turbo\.json$/,
  // The workbook's own tests run against the course's solutions.
  /^packages\/workbook\/test\//,
  /^packages\/workbook\/(vitest\.config\.ts|turbo\.json)$/,
  // The tool packages' READMEs are the course maintainers' (their modules, how to add an exercise).
  /^packages\/(grader|course-tools)\/README\.md$/,
  // It drives the solutions in a browser: it needs solutions/, which the edition does not have.
  /^packages\/browser-tests\//,
  /^\.changeset\//,
  /^\.prettier(rc\.json|ignore)$/,
  /^\.ci\//,
  /^\.github\//,
  /^docs\//,
  /^templates\//,
  /^README\.md$/,
];

const TEMPLATE = "templates/learner/";
const CHECKS = "packages/grader/src/checks";

/** Root scripts a learner uses; the others (verify, starters, bench, solution…) are the course's own. */
export const LEARNER_SCRIPTS = [
  "prepare",
  "start",
  "build",
  "dev",
  "watch",
  "hint",
  "reset",
  "lint",
  "typecheck",
  "test",
  "grade",
];

/** Which exercises an edition holds: 01…through, in course order. */
export interface Release {
  readonly released: readonly CourseApp[];
  readonly unreleased: readonly CourseApp[];
}

export function releaseThrough(through: string): Release {
  const apps = listApps("exercise");
  return {
    released: apps.filter((app) => app.number <= through),
    unreleased: apps.filter((app) => app.number > through),
  };
}

/**
 * Writes a complete edition into `out` (an empty folder), lockfile excepted: the course's files less what is left
 * out and less the exercises not released, the template, pristine starters for `pnpm reset`, and the grader with
 * the visible checks of the released exercises only (and a suite manifest to match). Returns the files written.
 */
export async function writeEdition(out: string, release: Release): Promise<string[]> {
  const unreleasedFolders = release.unreleased.map((app) => `exercises/${app.slug}/`);
  const files = courseFiles().filter(
    (file) =>
      file.startsWith(TEMPLATE) ||
      (!LEFT_OUT.some((pattern) => pattern.test(file)) && !unreleasedFolders.some((folder) => file.startsWith(folder))),
  );
  for (const file of files) {
    const text = readFileSync(join(workspaceRoot, file));
    const path = file.startsWith(TEMPLATE) ? file.slice(TEMPLATE.length) : file;
    write(out, path, text);
    // Pristine starters, for `pnpm reset` (the edition has no solutions to generate them from).
    if (file.startsWith("exercises/")) write(out, `${STARTER_SNAPSHOTS}/${file.slice("exercises/".length)}`, text);
  }

  rewriteJson(join(out, "package.json"), (manifest) => {
    manifest.scripts = Object.fromEntries(
      Object.entries(manifest.scripts as Record<string, string>).filter(([name]) => LEARNER_SCRIPTS.includes(name)),
    );
    // The course checks its own layout; a learner's code is theirs to lay out, and lint checks what ESLint checks.
    (manifest.scripts as Record<string, string>).lint = "course turbo run lint";
    delete (manifest.devDependencies as Record<string, string>)["@changesets/cli"];
    delete (manifest.devDependencies as Record<string, string>).prettier;
  });
  rewriteJson(join(out, "packages/grader/package.json"), (manifest) => {
    delete (manifest.scripts as Record<string, string>).test;
  });
  rewriteJson(join(out, "packages/workbook/package.json"), (manifest) => {
    delete (manifest.scripts as Record<string, string>).test;
  });
  rewriteJson(join(out, "packages/course-tools/package.json"), (manifest) => {
    manifest.description = "The course's commands for learners: dev, hint, reset, and turbo without telemetry.";
    delete (manifest.scripts as Record<string, string>).test;
  });
  const workspaceFile = join(out, "pnpm-workspace.yaml");
  writeFileSync(workspaceFile, readFileSync(workspaceFile, "utf8").replace(/^ {2}- solutions\/\*\n/m, ""));

  dropUnreleasedChecks(out, release.unreleased);
  dropUnusedCheckHelpers(out);
  leaveOutAnswers(out);
  for (const file of listFiles(out).filter((path) => path.endsWith(".md"))) {
    const markdown = readFileSync(join(out, file), "utf8");
    const unlinked = unlinkMissing(markdown, out, file);
    if (unlinked !== markdown) writeFileSync(join(out, file), unlinked);
  }
  // The edition's suite is smaller than the course's: its manifest is made with the grader's own code.
  writeManifest(join(out, "packages/grader"));
  return listFiles(out);
}

/** The course's files (tracked, or new and not ignored). */
function courseFiles(): string[] {
  return (
    execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      cwd: workspaceRoot,
      encoding: "utf8",
    })
      .split("\0")
      // pnpm's temporary files come and go while it works: never part of the course.
      .filter((file) => file !== "" && !/(^|\/)_tmp_[^/]*$/.test(file) && existsSync(join(workspaceRoot, file)))
      .sort()
  );
}

/**
 * The visible checks of an exercise not released yet are left out too: the grader grades the exercises it finds a
 * check module for, so an edition through 01 grades 01 alone. Their checks arrive with the exercise, on
 * `pnpm release:learner --update`.
 */
function dropUnreleasedChecks(out: string, unreleased: readonly CourseApp[]): void {
  for (const app of unreleased) rmSync(join(out, CHECKS, `${app.slug}.ts`), { force: true });
}

/**
 * Helpers in src/checks/ that only the left-out checks import (the markup probes of a later exercise, say) go too:
 * a file stays when the grader's code reaches it through its imports.
 */
function dropUnusedCheckHelpers(out: string): void {
  const src = join(out, "packages/grader/src");
  const all = listFiles(src).filter((file) => file.endsWith(".ts"));
  // The grader finds an exercise's check module by its name (checks/NN-slug.ts), not through an import.
  const reached = new Set(
    all.filter(
      (file) => !file.startsWith("checks/") || file === "checks/groups.ts" || /^checks\/\d{2}-[^/]+\.ts$/.test(file),
    ),
  );
  const queue = [...reached];
  while (queue.length > 0) {
    const file = queue.pop()!;
    for (const [, specifier] of readFileSync(join(src, file), "utf8").matchAll(/from\s+"(\.{1,2}\/[^"]+)\.js"/g)) {
      const target = relative(src, join(src, dirname(file), `${specifier}.ts`)).replace(/\\/g, "/");
      if (!reached.has(target) && all.includes(target)) {
        reached.add(target);
        queue.push(target);
      }
    }
  }
  for (const file of all) if (file.startsWith("checks/") && !reached.has(file)) rmSync(join(src, file));
}

/**
 * Documentation that shows a route's code is an exercise's answer: cookie-utils' README ends with the whole
 * course's app, and a JSDoc example of its own shows the `res.cookie` call of exercise 01. The edition keeps the
 * API tables and the prose, and loses those examples.
 */
function leaveOutAnswers(out: string): void {
  const readme = join(out, "packages/cookie-utils/README.md");
  if (existsSync(readme)) writeFileSync(readme, withoutSection(readFileSync(readme, "utf8"), "Example"));
  const src = join(out, "packages/cookie-utils/src");
  for (const file of listFiles(src).filter((path) => path.endsWith(".ts"))) {
    const text = readFileSync(join(src, file), "utf8");
    // An @example tag runs to the next tag or the comment's end; one that calls res.… is a route's code.
    const stripped = text.replace(/^( *)\* @example\n(?:\1\* (?!@).*\n|\1\*\n)*/gm, (example) =>
      /\bres\./.test(example) ? "" : example,
    );
    if (stripped !== text) writeFileSync(join(src, file), stripped);
  }
}

/** Every file under `dir`, as relative paths with `/`, sorted. */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).replace(/\\/g, "/"))
    .sort();
}

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

function rewriteJson(file: string, change: (value: Record<string, unknown>) => void): void {
  const value = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  change(value);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
