import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import { IGNORED } from "./app-files.js";
import { AUTHOR_TODO } from "./new-exercise/templates.js";
import { listApps, workspaceRoot } from "./workspace.js";

const CHECKS = "packages/grader/src/checks";
const BROWSER_TESTS_MANIFEST = "packages/browser-tests/package.json";

/** An exercise's check module, named as its folder (as the grader's checks/groups.ts finds them). */
const CHECK_MODULE = /^(\d{2}-[a-z0-9-]+)\.ts$/;

/**
 * Where the course's parts disagree about which exercises exist: each sentence names the exercise and the file to
 * write or fix. The folders under solutions/ are the list; everything else must follow it.
 */
export function courseLayoutProblems(root: string = workspaceRoot): string[] {
  const solutions = listApps("solution", root);
  const slugs = new Set(solutions.map((solution) => solution.slug));
  const problems: string[] = [];

  for (const exercise of listApps("exercise", root)) {
    if (!slugs.has(exercise.slug))
      problems.push(
        `exercises/${exercise.slug} has no solution: starters are generated from solutions/${exercise.slug}.`,
      );
  }

  const checkModules = modulesIn(join(root, CHECKS));
  const hidden = existsSync(join(root, CHECKS, "hidden")) ? modulesIn(join(root, CHECKS, "hidden")) : undefined;
  for (const slug of slugs) {
    if (!checkModules.has(slug))
      problems.push(
        `exercise ${slug} has no checks: the grader grades it with ${CHECKS}/${slug}.ts (pnpm new-exercise writes one).`,
      );
    if (hidden && !hidden.has(slug))
      problems.push(
        `exercise ${slug} has no ${CHECKS}/hidden/${slug}.ts: the grader requires it (export hiddenChecks, [] for none).`,
      );
  }
  for (const slug of [...checkModules, ...(hidden ?? [])]) {
    if (!slugs.has(slug)) problems.push(`${CHECKS}/…/${slug}.ts grades an exercise that has no solutions/${slug}.`);
  }

  const browserTests = join(root, BROWSER_TESTS_MANIFEST);
  if (existsSync(browserTests)) {
    const manifest = JSON.parse(readFileSync(browserTests, "utf8")) as { devDependencies?: Record<string, string> };
    for (const solution of solutions) {
      if (!manifest.devDependencies?.[solution.packageName]) {
        problems.push(
          `${BROWSER_TESTS_MANIFEST} lacks the devDependency "${solution.packageName}": "workspace:*" (the browser suite tests every solution).`,
        );
      }
    }
  }

  for (const slug of slugs) {
    const unfinished = authoredFiles(root, slug).filter((file) =>
      readFileSync(join(root, file), "utf8").includes(AUTHOR_TODO),
    );
    if (unfinished.length > 0)
      problems.push(`exercise ${slug} is not finished: ${AUTHOR_TODO} remains in ${unfinished.join(", ")}.`);
  }
  return [...new Set(problems)];
}

/**
 * The files an author writes for an exercise (the generated starter is left out: it repeats the solution's
 * markers). `pnpm new-exercise` leaves AUTHOR_TODO in those still to write.
 */
export function authoredFiles(root: string, slug: string): string[] {
  const solution = globSync("**/*", { cwd: join(root, "solutions", slug), dot: true, ignore: IGNORED }).map(
    (file) => `solutions/${slug}/${file}`,
  );
  const others = [
    `exercises/${slug}/README.md`,
    `${CHECKS}/${slug}.ts`,
    `${CHECKS}/hidden/${slug}.ts`,
    `packages/grader/test/fixture-sets/${slug}.ts`,
  ].filter((file) => existsSync(join(root, file)));
  return [...solution, ...others].sort();
}

function modulesIn(dir: string): Set<string> {
  if (!existsSync(dir)) return new Set();
  return new Set(readdirSync(dir).flatMap((name) => CHECK_MODULE.exec(name)?.[1] ?? []));
}
