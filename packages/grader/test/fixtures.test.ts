import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ExerciseResult } from "../src/results.js";
import { runGrading } from "../src/run.js";
import type { GradingLimits } from "../src/shared.js";
import { checkGroupsFor } from "../src/checks/groups.js";
import { SLUGS } from "./course.js";

/**
 * Each folder of test/fixtures is a small submission for one exercise — a correct one or a broken one — with the
 * verdict the grader must reach in `expected.json`. A grader that passes a broken fixture, or fails a correct one,
 * is a bug.
 */
interface Expected {
  /** What this fixture does, in one sentence. */
  readonly about: string;
  readonly exercise: string;
  readonly status: "passed" | "failed";
  /** Exactly the checks that must fail (ids); every other check passes or is skipped. */
  readonly failing: readonly string[];
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

const fixturesDir = fileURLToPath(new URL("./fixtures", import.meta.url));
const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const linkedFixtures = mkdtempSync(join(tmpdir(), "grader-linked-fixtures-"));
afterAll(() => rmSync(linkedFixtures, { recursive: true, force: true }));

/** Where a fixture is graded from: its own folder, or, when it holds links, a copy with the links made. */
function fixtureDir(name: string, expected: Expected): string {
  if (!expected.links) return join(fixturesDir, name);
  const dir = join(linkedFixtures, name);
  cpSync(join(fixturesDir, name), dir, { recursive: true });
  for (const [path, target] of Object.entries(expected.links)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    symlinkSync(join(workspace, target), join(dir, path));
  }
  return dir;
}
const fixtures = readdirSync(fixturesDir)
  .filter((name) => existsSync(join(fixturesDir, name, "expected.json")))
  .sort()
  .map((name) => ({
    name,
    expected: JSON.parse(readFileSync(join(fixturesDir, name, "expected.json"), "utf8")) as Expected,
  }));

// One grading run per exercise (and run limit) grades all its fixtures as targets: one vitest start, not thirty.
const byRun = new Map<string, typeof fixtures>();
for (const fixture of fixtures) {
  const key = `${fixture.expected.exercise}|${fixture.expected.limits ? JSON.stringify(fixture.expected.limits) : ""}`;
  byRun.set(key, [...(byRun.get(key) ?? []), fixture]);
}

for (const [key, members] of byRun) {
  const [exercise = "", limits] = key.split("|");
  describe(`grading ${exercise} fixtures${limits ? ` with limits ${limits}` : ""}`, () => {
    let results: Map<string, ExerciseResult[]>;
    beforeAll(async () => {
      results = await runGrading({
        targets: members.map(({ name, expected }) => ({ id: name, dir: fixtureDir(name, expected) })),
        exercises: [exercise],
        ...(limits ? { limits: JSON.parse(limits) as Partial<GradingLimits> } : {}),
      });
    });

    it.each(members.map((member) => [member.name, member] as const))("%s", (_name, { name, expected }) => {
      const result = results.get(name)?.[0];
      expect(result, `no result for ${name}`).toBeDefined();
      const failing = result!.checks.filter((check) => check.status === "failed").map((check) => check.id);
      expect({ status: result!.status, failing: failing.sort() }, expected.about).toEqual({
        status: expected.status,
        failing: [...expected.failing].sort(),
      });
      for (const [id, words] of Object.entries(expected.messages ?? {})) {
        expect(result!.checks.find((check) => check.id === id)?.message, `${id}'s message`).toContain(words);
      }
      const told = result!.checks.filter((check) => check.changedTerms !== undefined).map((check) => check.id);
      expect(told.sort(), "failed checks told in this exercise's changed terms").toEqual(
        [...(expected.inChangedTerms ?? [])].sort(),
      );
      if (expected.score !== undefined) expect(result!.score, `${name}'s points`).toBe(expected.score);
      if (expected.reason !== undefined) expect(result!.reason, `${name}'s reason`).toBe(expected.reason);
      if (expected.error) expect(result!.error).toContain(expected.error);
      else expect(result!.error).toBeUndefined();
      // Points add up, and a passed exercise has them all.
      expect(result!.score).toBe(result!.checks.reduce((sum, check) => sum + check.points, 0));
      if (result!.status === "passed") expect(result!.score).toBe(result!.maxScore);
    });
  });
}

// Fixtures prove the verdicts of an exercise's checks: a new exercise needs them once it has checks of its own.
it("has at least eight fixtures for each exercise with checks, correct and broken", async () => {
  for (const exercise of SLUGS) {
    const own = (await checkGroupsFor(exercise))?.at(-1)?.checks ?? [];
    if (own.length === 0) continue;
    const mine = fixtures.filter((fixture) => fixture.expected.exercise === exercise);
    expect(mine.length, exercise).toBeGreaterThanOrEqual(8);
    expect(
      mine.some((fixture) => fixture.expected.status === "passed"),
      `${exercise} has a correct fixture`,
    ).toBe(true);
    expect(
      mine.some((fixture) => fixture.expected.status === "failed"),
      `${exercise} has a broken fixture`,
    ).toBe(true);
  }
});
