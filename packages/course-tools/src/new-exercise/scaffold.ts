import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { globSync } from "tinyglobby";
import { IGNORED } from "../app-files.js";
import { UsageError } from "../errors.js";
import { withoutRegionMarkers } from "../starters/regions.js";
import { listApps, packageNameFor } from "../workspace.js";
import {
  checkModule,
  exerciseReadme,
  fixtureSetModule,
  hiddenCheckModule,
  solutionRegion,
  starterMarkdown,
  type NewExerciseNames,
} from "./templates.js";

/** A slug as the folders spell it after their number: lower-case words joined by single hyphens. */
const KEBAB = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const CHECKS = "packages/grader/src/checks";
const FIXTURE_SETS = "packages/grader/test/fixture-sets";
const BROWSER_TESTS_MANIFEST = "packages/browser-tests/package.json";

/** What `new-exercise` wrote, as paths from the workspace root (with `/`). */
export interface Scaffold {
  readonly names: NewExerciseNames;
  readonly created: readonly string[];
  readonly changed: readonly string[];
  /** The files the author writes by hand to finish the exercise, in the order to write them. */
  readonly toWrite: readonly string[];
}

/** The names of the exercise after the last one, or a UsageError saying why `name` cannot be one. */
export function nextExerciseNames(name: string, root: string): NewExerciseNames {
  if (/^\d+-/.test(name))
    throw new UsageError(
      `give the slug without its number ("${name.replace(/^\d+-/, "")}"): the next number is chosen for you.`,
    );
  if (!KEBAB.test(name))
    throw new UsageError(
      `"${name}" is not a kebab-case slug: lower-case letters and digits, words joined by "-" (e.g. sign-cookie).`,
    );
  const solutions = listApps("solution", root);
  const previous = solutions.at(-1);
  if (!previous) throw new UsageError("there is no solution to grow the new exercise from: solutions/ is empty.");
  const taken = [...solutions, ...listApps("exercise", root)].find((app) => app.slug.slice(3) === name);
  if (taken)
    throw new UsageError(
      `exercise "${name}" exists already: ${taken.kind === "solution" ? "solutions" : "exercises"}/${taken.slug}.`,
    );
  const number = String(Number(previous.number) + 1).padStart(2, "0");
  if (number.length > 2) throw new UsageError("the course has 99 exercises already: slugs have two digits.");
  return { slug: `${number}-${name}`, number, name, previous: previous.slug };
}

/**
 * Writes a new exercise after the last one: its solution (the previous solution's app, its markers gone, with one
 * empty region at the end of createApp), starter.md, the learner's README, and the grader's check modules. It adds
 * the solution to the browser suite's dependencies. Generating the starter and installing are the caller's.
 */
export function scaffoldExercise(name: string, root: string): Scaffold {
  const names = nextExerciseNames(name, root);
  const { slug, previous } = names;
  // Checked before anything is written: a refusal leaves the workspace as it was.
  const existing = [
    `solutions/${slug}`,
    `exercises/${slug}`,
    `${CHECKS}/${slug}.ts`,
    `${CHECKS}/hidden/${slug}.ts`,
    `${FIXTURE_SETS}/${slug}.ts`,
  ].find((path) => existsSync(join(root, path)));
  if (existing) throw new UsageError(`${existing} exists already: remove it, or choose another slug.`);
  const created: string[] = [];
  const changed: string[] = [];
  const write = (path: string, text: string) => {
    const file = join(root, path);
    if (existsSync(file)) throw new UsageError(`${path} exists already: remove it, or choose another slug.`);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    created.push(path);
  };

  // The whole app so far (each solution carries every step), without build output or reports.
  const from = join(root, "solutions", previous);
  for (const path of globSync("**/*", {
    cwd: from,
    dot: true,
    ignore: [...IGNORED, "starter.md", "README.md"],
  }).sort()) {
    const text = readFileSync(join(from, path), "utf8");
    if (path === "package.json")
      write(`solutions/${slug}/${path}`, withPackageName(text, packageNameFor("solution", slug)));
    else if (/\.[cm]?[jt]sx?$/.test(path)) write(`solutions/${slug}/${path}`, withoutRegionMarkers(text));
    else {
      mkdirSync(dirname(join(root, "solutions", slug, path)), { recursive: true });
      cpSync(join(from, path), join(root, "solutions", slug, path));
      created.push(`solutions/${slug}/${path}`);
    }
  }
  const app = `solutions/${slug}/src/app.ts`;
  writeFileSync(join(root, app), withRegion(readFileSync(join(root, app), "utf8"), names, app));
  write(`solutions/${slug}/starter.md`, starterMarkdown(names));
  write(`exercises/${slug}/README.md`, exerciseReadme(names));
  write(`${CHECKS}/${slug}.ts`, checkModule(names));
  if (existsSync(join(root, CHECKS, "hidden"))) write(`${CHECKS}/hidden/${slug}.ts`, hiddenCheckModule(names));
  // The grader's tests live only in the course, not in the learner edition.
  const fixtures = existsSync(join(root, FIXTURE_SETS, "..")) ? `${FIXTURE_SETS}/${slug}.ts` : undefined;
  if (fixtures) write(fixtures, fixtureSetModule(names));
  if (addBrowserTestsDependency(root, packageNameFor("solution", slug))) changed.push(BROWSER_TESTS_MANIFEST);

  return {
    names,
    created,
    changed,
    toWrite: [
      app,
      `solutions/${slug}/starter.md`,
      `solutions/${slug}/test/${names.name}.test.ts`,
      `${CHECKS}/${slug}.ts`,
      `exercises/${slug}/README.md`,
      ...(fixtures ? [fixtures] : []),
    ],
  };
}

function withPackageName(manifest: string, name: string): string {
  const parsed = JSON.parse(manifest) as Record<string, unknown>;
  return `${JSON.stringify({ ...parsed, name }, null, 2)}\n`;
}

/** The app with the new exercise's region as the last thing createApp() does before it returns the app. */
function withRegion(source: string, names: NewExerciseNames, file: string): string {
  const lines = source.split("\n");
  const at = lines.findLastIndex((line) => /^\s*return app;\s*$/.test(line));
  if (at === -1) throw new UsageError(`${file}: found no "return app;" to put the new exercise's region before.`);
  const indent = /^\s*/.exec(lines[at]!)![0];
  return [...lines.slice(0, at), solutionRegion(names, indent), "", ...lines.slice(at)].join("\n");
}

/** The browser suite tests every solution, and depends on each so that turbo orders and links them. */
function addBrowserTestsDependency(root: string, packageName: string): boolean {
  const file = join(root, BROWSER_TESTS_MANIFEST);
  if (!existsSync(file)) return false;
  const manifest = JSON.parse(readFileSync(file, "utf8")) as { devDependencies?: Record<string, string> };
  const dependencies = { ...manifest.devDependencies, [packageName]: "workspace:*" };
  manifest.devDependencies = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`);
  return true;
}
