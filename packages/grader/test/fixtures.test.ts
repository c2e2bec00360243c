import { beforeAll, describe, expect, it } from "vitest";
import type { ExerciseResult } from "../src/results.js";
import { runGrading } from "../src/run.js";
import type { GradingLimits } from "../src/shared.js";
import { checkGroupsFor } from "../src/checks/groups.js";
import { SLUGS } from "./course.js";
import { fixtureSubmission, readFixtures } from "./fixture-source.js";

/**
 * Each folder of test/fixtures is a small submission for one exercise — a correct one or a broken one — with the
 * verdict the grader must reach in `expected.json` (fixture-source.ts reads them). A grader that passes a broken
 * fixture, or fails a correct one, is a bug.
 */
const fixtures = await readFixtures();

// One grading run per set of limits grades every fixture, each for its own exercise: one pool of app processes, so
// that no exercise waits for the slowest fixture of the one before it. The runs start together, at load.
const byLimits = new Map<string, typeof fixtures>();
for (const fixture of fixtures) {
  const key = fixture.expected.limits ? JSON.stringify(fixture.expected.limits) : "";
  byLimits.set(key, [...(byLimits.get(key) ?? []), fixture]);
}
const POOL_MS = 1_200_000;
let graded: Promise<Map<string, ExerciseResult>> | undefined;
function gradeAll(): Promise<Map<string, ExerciseResult>> {
  graded ??= Promise.all(
    [...byLimits].map(([limits, members]) =>
      runGrading({
        targets: members.map((fixture) => ({
          id: fixture.name,
          dir: fixtureSubmission(fixture),
          exercises: [fixture.expected.exercise],
        })),
        exercises: [],
        ...(limits ? { limits: JSON.parse(limits) as Partial<GradingLimits> } : {}),
      }),
    ),
  ).then((runs) => new Map(runs.flatMap((run) => [...run].map(([name, [result]]) => [name, result!] as const))));
  return graded;
}

for (const exercise of SLUGS) {
  const members = fixtures.filter((fixture) => fixture.expected.exercise === exercise);
  if (members.length === 0) continue;
  describe(`grading ${exercise} fixtures`, () => {
    let results: Map<string, ExerciseResult>;
    // The pool grades every fixture before the first exercise's tests: 2 min on a quiet 2-core machine, over 5 min
    // beside a second pnpm verify. The limit is sized for a machine that busy, twice over.
    beforeAll(async () => {
      results = await gradeAll();
    }, POOL_MS);

    it.each(members.map((member) => [member.name, member] as const))("%s", (_name, { name, expected }) => {
      const result = results.get(name);
      expect(result, `no result for ${name}`).toBeDefined();
      const failing = result!.checks.filter((check) => check.status === "failed").map((check) => check.id);
      const drawn = failing.filter((id) => expected.mayFail?.includes(id) && !expected.failing.includes(id));
      expect(
        { status: result!.status, failing: failing.filter((id) => !drawn.includes(id)).sort() },
        expected.about,
      ).toEqual({
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
