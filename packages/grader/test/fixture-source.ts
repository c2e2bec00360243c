import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { GradingLimits } from "../src/shared.js";

/**
 * A fixture is an overlay: the files it changes, on top of the app named by `base`, and the verdict the grader must
 * reach. A broken variant of a solution holds its one changed file, not a copy of the whole solution.
 */
export interface Expected {
  /** What this fixture does, in one sentence. */
  readonly about: string;
  readonly exercise: string;
  /**
   * The app the fixture's files go on top of, from the workspace's root (`solutions/04-sign-visit-cookie`): its
   * `src/` is copied, then the fixture's `<exercise>/src/` over it. Without one, the fixture is graded as it is.
   */
  readonly base?: string;
  readonly status: "passed" | "failed";
  /** Exactly the checks that must fail (ids); every other check passes or is skipped, but for `mayFail`. */
  readonly failing: readonly string[];
  /**
   * Checks that fail in some runs and not in others, as the order drawn for the run has it: of the checks that load a
   * page that loops, the first to meet the loop fails, and the rest are told of it.
   */
  readonly mayFail?: readonly string[];
  /** Words the message of a failed check must contain: the cause must be named. */
  readonly messages?: Readonly<Record<string, string>>;
  /**
   * The failed earlier exercises' checks that must be told as this exercise's change not yet made (`changedTerms`,
   * with this exercise's hints), rather than as a regression; every other failed check must not be.
   */
  readonly inChangedTerms?: readonly string[];
  /** The points the exercise must earn, where they are the point: a page that passes checks without doing the work earns none. */
  readonly score?: number;
  /** The gradebook's reason for the exercise, when the fixture pins it. */
  readonly reason?: string;
  /** Words the exercise's error must contain, when grading cannot finish. */
  readonly error?: string;
  /**
   * Symbolic links the fixture holds, made when it is graded (never committed: git, turbo and Windows checkouts
   * would each read them their own way): the link's path in the fixture, and its target in the workspace.
   */
  readonly links?: Readonly<Record<string, string>>;
  /** Other limits than the defaults: a short exercise limit for a slow app, say. */
  readonly limits?: Partial<GradingLimits>;
}

export const FIXTURES_DIR = fileURLToPath(new URL("./fixtures", import.meta.url));
export const FIXTURE_SETS_DIR = fileURLToPath(new URL("./fixture-sets", import.meta.url));
export const WORKSPACE = fileURLToPath(new URL("../../../", import.meta.url));

/** One change to a file of the base: `find` (it must occur once, so that a changed base fails loudly) becomes `replace`. */
export type Edit = readonly [find: string, replace: string];

/** A fixture of a set: its verdict, and the edits that turn the base into it, file by file (paths under `src/`). */
export interface SetFixture extends Omit<Expected, "exercise" | "base"> {
  readonly name: string;
  readonly edits?: Readonly<Record<string, readonly Edit[]>>;
}

export interface Fixture {
  readonly name: string;
  readonly expected: Expected;
  /** A set's fixture: the edits that make it from its base. A folder's fixture holds its changed files instead. */
  readonly edits?: Readonly<Record<string, readonly Edit[]>>;
}

/**
 * An exercise's fixtures in one file (`test/fixture-sets/NN-slug.ts`), each a few edits on the exercise's solution:
 * a broken variant is one line changed, and a new exercise's fixtures are one hand-written file, not sixteen.
 */
export function fixtureSet(exercise: string, fixtures: readonly SetFixture[]): Fixture[] {
  return fixtures.map(({ name, edits, ...verdict }) => ({
    name,
    expected: { ...verdict, exercise, base: `solutions/${exercise}` },
    ...(edits ? { edits } : {}),
  }));
}

/** Every fixture, folders and sets, in name order. */
export async function readFixtures(): Promise<Fixture[]> {
  const folders = readdirSync(FIXTURES_DIR)
    .filter((name) => existsSync(join(FIXTURES_DIR, name, "expected.json")))
    .map((name) => ({ name, expected: readExpected(name) }));
  const sets: Fixture[] = [];
  for (const file of existsSync(FIXTURE_SETS_DIR)
    ? readdirSync(FIXTURE_SETS_DIR).filter((name) => name.endsWith(".ts"))
    : []) {
    const set = (await import(pathToFileURL(join(FIXTURE_SETS_DIR, file)).href)) as { default: Fixture[] };
    sets.push(...set.default);
  }
  const all = [...folders, ...sets].sort((a, b) => a.name.localeCompare(b.name));
  const twice = all.filter((fixture, index) => all.findIndex((other) => other.name === fixture.name) !== index);
  if (twice.length > 0) throw new Error(`fixtures named twice: ${twice.map((fixture) => fixture.name).join(", ")}`);
  return all;
}

/** A folder fixture's verdict. */
export function readExpected(name: string): Expected {
  return JSON.parse(readFileSync(join(FIXTURES_DIR, name, "expected.json"), "utf8")) as Expected;
}

// Made once per test process, in a folder of its own: the fixtures' folders are never written.
let made: string | undefined;
const submissions = new Map<string, string>();

/** A submission folder holding the fixture's exercise whole (`<exercise>/src/`): its base, its changes, its links. */
export function fixtureSubmission(fixture: Fixture | string): string {
  const { name, expected, edits } =
    typeof fixture === "string" ? { name: fixture, expected: readExpected(fixture), edits: undefined } : fixture;
  if (!expected.base && !expected.links) return join(FIXTURES_DIR, name);
  const known = submissions.get(name);
  if (known) return known;
  made ??= madeFolder();
  const dir = join(made, name);
  const src = join(dir, expected.exercise, "src");
  if (expected.base) cpSync(join(WORKSPACE, expected.base, "src"), src, { recursive: true });
  const own = join(FIXTURES_DIR, name, expected.exercise);
  if (existsSync(own)) cpSync(own, join(dir, expected.exercise), { recursive: true });
  for (const [file, fileEdits] of Object.entries(edits ?? {})) {
    writeFileSync(join(src, file), applyEdits(readFileSync(join(src, file), "utf8"), fileEdits, `${name}: ${file}`));
  }
  for (const [path, target] of Object.entries(expected.links ?? {})) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(join(WORKSPACE, target), join(dir, path));
  }
  submissions.set(name, dir);
  return dir;
}

/** The text with each edit made; an edit whose `find` is not in the text exactly once is the fixture's mistake, named. */
export function applyEdits(text: string, edits: readonly Edit[], where: string): string {
  let edited = text;
  for (const [find, replace] of edits) {
    const at = edited.indexOf(find);
    if (at === -1 || edited.indexOf(find, at + 1) !== -1) {
      throw new Error(
        `${where}: ${at === -1 ? "not found" : "found more than once"}: ${JSON.stringify(find.slice(0, 80))}`,
      );
    }
    edited = edited.slice(0, at) + replace + edited.slice(at + find.length);
  }
  return edited;
}

/** The fixture's exercise's `src/`, whole. */
export function fixtureSrc(fixture: Fixture | string): string {
  const exercise = typeof fixture === "string" ? readExpected(fixture).exercise : fixture.expected.exercise;
  return join(fixtureSubmission(fixture), exercise, "src");
}

function madeFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), "grader-fixtures-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
