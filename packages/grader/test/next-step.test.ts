import { describe, expect, it } from "vitest";
import { whatNext, type PassedExercise } from "../src/next-step.js";
import type { CourseApp } from "../src/workspace.js";

const app = (slug: string): CourseApp => ({
  kind: "exercise",
  slug,
  number: slug.slice(0, 2),
  dir: `/course/exercises/${slug}`,
  packageName: `@x/${slug}`,
});
const all = ["01-cookie", "02-read", "03-logout", "04-sign"].map(app);

function after(passed: string, given: Partial<PassedExercise> = {}): string {
  return whatNext({
    passed,
    all,
    watched: [all.find((one) => one.slug === passed)!],
    kind: "exercise",
    passes: () => true,
    edition: false,
    ...given,
  });
}

describe("what pnpm watch says once an exercise passes", () => {
  it("names the next exercise and the command that watches it, or that it is watched here too", () => {
    expect(after("02-read")).toBe(
      "✓ 02-read passes. Next: 03-logout. Read exercises/03-logout/README.md, then stop this (Ctrl+C) and run pnpm watch 03",
    );
    expect(after("02-read", { watched: all })).toBe("✓ 02-read passes. Next: 03-logout, watched here too.");
    expect(after("02-read", { kind: "solution" })).toContain("run pnpm watch 03 --solutions");
    expect(after("02-read", { watched: [], from: "test" })).toBe(
      "✓ 02-read passes. Next: 03-logout. Read exercises/03-logout/README.md, then run pnpm test 03 (or pnpm watch 03, which grades on every save)",
    );
  });

  it("after the last exercise, says the course is done only when every exercise passes", () => {
    expect(after("04-sign")).toContain("the course is done");
    const open = after("04-sign", { passes: (slug) => slug === "03-logout" });
    expect(open).toBe(
      "✓ 04-sign passes, the last exercise. Still to pass: 01, 02 (pnpm test shows where each stands).",
    );
    expect(open).not.toContain("done");
  });

  it("in a learner edition, calls it the last exercise released so far, never the end of the course", () => {
    expect(after("04-sign", { edition: true })).toBe(
      "✓ 04-sign passes, the last exercise released so far: the next ones come with your course's next release.",
    );
    expect(after("04-sign", { edition: true, passes: () => false })).toContain("Still to pass: 01, 02, 03");
  });
});
