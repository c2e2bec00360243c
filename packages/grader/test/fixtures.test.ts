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
        targets: members.map((fixture) => ({ id: fixture.name, dir: fixtureSubmission(fixture) })),
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
