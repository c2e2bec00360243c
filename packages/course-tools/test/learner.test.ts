import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { GradeReportError, type CheckResult, type ExerciseResult } from "@cookie-course/grader/report";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Terminal } from "../src/confirm.js";
import { UsageError } from "../src/errors.js";
import { hint, type Regrade } from "../src/hint.js";
import { reset } from "../src/reset.js";
import { solution } from "../src/solution.js";
import { readProgress, recordGrades } from "../src/progress.js";
import { workspaceRoot } from "../src/workspace.js";

const SLUG = "02-read-last-visit";
let root: string;
let printed: string[];

/**
 * The files of an app folder that the course keeps in git, by name. Not the whole folder: under `pnpm verify` other
 * tasks run in it meanwhile, and pnpm creates and removes a `_tmp_<pid>_<hash>` file there while it starts a script;
 * a copy that lists that file and then finds it gone fails with ENOENT (seen with two verify runs at once).
 */
const APP_FILES = ["package.json", "tsconfig.json", "README.md", "starter.md", "src"];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "learner-"));
  for (const kind of ["exercises", "solutions"]) {
    for (const name of APP_FILES.filter((file) => existsSync(join(workspaceRoot, kind, SLUG, file)))) {
      cpSync(join(workspaceRoot, kind, SLUG, name), join(root, kind, SLUG, name), { recursive: true });
    }
  }
  printed = [];
  vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void printed.push(args.join(" ")));
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

/** Writes the exercise's reports/grade.json as the grader would, with these checks (a point each). */
function writeGrade(checks: readonly Pick<CheckResult, "id" | "name" | "status" | "hints">[]) {
  const grade: ExerciseResult = {
    id: SLUG,
    status: checks.every((check) => check.status === "passed") ? "passed" : "failed",
    score: checks.filter((check) => check.status === "passed").length,
    maxScore: checks.length,
    durationMs: 1,
    checks: checks.map((check) => ({
      exercise: SLUG,
      points: check.status === "passed" ? 1 : 0,
      maxPoints: 1,
      ...check,
    })),
  };
  mkdirSync(join(root, "exercises", SLUG, "reports"), { recursive: true });
  writeFileSync(join(root, "exercises", SLUG, "reports", "grade.json"), JSON.stringify(grade));
}

/** A terminal where the learner types `answer` at the question. */
function answering(answer: string): Terminal {
  const input = new PassThrough();
  const output = new PassThrough();
  // The answer is typed once the question is on the screen.
  output.once("data", () => input.write(`${answer}\n`));
  return { isTTY: true, input, output };
}

/** Stands in for turbo's grade task: grading counts as run, and the report is whatever the test wrote. */
const graded: Regrade = async () => true;

describe("hint(['02'])", () => {
  const failing = {
    id: "02.no-xss",
    name: "Never reflects",
    status: "failed",
    hints: ["first nudge", "second", "almost the answer"],
  } as const;

  it("shows one more hint each time, remembers it locally, and stops at the last", async () => {
    writeGrade([{ id: "02.page", name: "page", status: "passed" }, failing]);
    await hint(["02"], root, graded);
    expect(printed.join("\n")).toContain("1/3  first nudge");
    expect(printed.join("\n")).not.toContain("second");
    await hint(["02"], root, graded);
    await hint(["02"], root, graded);
    await hint(["02"], root, graded);
    expect(printed.join("\n")).toContain("3/3  almost the answer");
    expect(printed.join("\n")).toContain("That was the last hint for this check.");
    expect(readProgress(root).exercises[SLUG]?.hintsShown).toEqual({ "02.no-xss": 3 });
  });

  it("counts the hints of a check that awaits a later exercise's change of terms apart from the check's own", async () => {
    const changed = {
      ...failing,
      changedTerms: "from 04 on, the cookie travels signed.",
      hints: ["signed nudge", "signed answer"],
    };
    writeGrade([changed]);
    await hint(["02"], root, graded);
    await hint(["02"], root, graded);
    expect(printed.join("\n")).toContain("2/2  signed answer");
    // Later the same check fails as a plain regression: its own hints start again from the first.
    printed.length = 0;
    writeGrade([failing]);
    await hint(["02"], root, graded);
    expect(printed.join("\n")).toContain("1/3  first nudge");
    expect(printed.join("\n")).not.toContain("second");
  });

  it("grades the code as it is now before it picks the check, and says so", async () => {
    writeGrade([failing]);
    // The learner fixed that check since: the fresh grade fails the next one.
    const regrade: Regrade = async () => {
      writeGrade([
        { ...failing, status: "passed" },
        { id: "02.later", name: "A later check", status: "failed", hints: ["later nudge"] },
      ]);
      return true;
    };
    await hint(["02"], root, regrade);
    expect(printed.join("\n")).toContain('as it is now: the first check to fix is "A later check"');
    expect(printed.join("\n")).toContain("1/1  later nudge");
    expect(printed.join("\n")).not.toContain("first nudge");
  });

  it("names a report that does not read as a grade, and what is wrong in it", async () => {
    mkdirSync(join(root, "exercises", SLUG, "reports"), { recursive: true });
    writeFileSync(
      join(root, "exercises", SLUG, "reports", "grade.json"),
      JSON.stringify({ status: "failed", checks: [] }),
    );
    const refusal = hint(["02"], root, graded);
    await expect(refusal).rejects.toBeInstanceOf(GradeReportError);
    await expect(refusal).rejects.toThrow("reports/grade.json is not an exercise's grade: id is missing.");
  });

  it("says so, and exits 1, when the exercise could not be graded", async () => {
    expect(await hint(["02"], root, async () => false)).toBe(1);
    expect(printed.join("\n")).toContain("could not be graded just now: pnpm test 02 shows why");
  });

  it("rejects an option it does not have, naming the closest", async () => {
    vi.stubEnv("npm_lifecycle_event", "hint");
    await expect(hint(["02", "--yse"], root, graded)).rejects.toThrow(
      new UsageError("unknown option --yse. --help lists the options."),
    );
  });

  it("points at pnpm run test --help after pnpm test, whose --help is pnpm's own", async () => {
    vi.stubEnv("npm_lifecycle_event", "test");
    await expect(hint(["02", "--yse"], root, graded)).rejects.toThrow(
      new UsageError("unknown option --yse. pnpm run test --help lists the options."),
    );
  });
});

describe("reset(['02'])", () => {
  it("puts the starter back and keeps the learner's work in .course/backups", async () => {
    const app = join(root, "exercises", SLUG, "src", "app.ts");
    const starter = readFileSync(app, "utf8");
    writeFileSync(app, "// my work\n");
    writeFileSync(join(root, "exercises", SLUG, "src", "extra.ts"), "// mine too\n");
    expect(await reset(["02", "--yes"], root)).toBe(0);
    expect(readFileSync(app, "utf8")).toBe(starter);
    expect(existsSync(join(root, "exercises", SLUG, "src", "extra.ts"))).toBe(false);
    const [backup] = readdirSync(join(root, ".course", "backups"));
    expect(readFileSync(join(root, ".course", "backups", backup!, "src", "app.ts"), "utf8")).toBe("// my work\n");
  });

  it("takes a no for an answer: nothing changes, exit 0, and no error", async () => {
    const app = join(root, "exercises", SLUG, "src", "app.ts");
    writeFileSync(app, "// my work\n");
    expect(await reset(["02"], root, answering("n"))).toBe(0);
    expect(readFileSync(app, "utf8")).toBe("// my work\n");
    expect(printed).toEqual([`${SLUG} is as you left it.`]);
    expect(existsSync(join(root, ".course"))).toBe(false);
  });

  it("resets on a yes typed at the question", async () => {
    const app = join(root, "exercises", SLUG, "src", "app.ts");
    writeFileSync(app, "// my work\n");
    expect(await reset(["02"], root, answering("y"))).toBe(0);
    expect(readFileSync(app, "utf8")).not.toContain("// my work");
  });

  it("changes nothing without a terminal to confirm in, and says to add --yes", async () => {
    const app = join(root, "exercises", SLUG, "src", "app.ts");
    writeFileSync(app, "// my work\n");
    await expect(reset(["02"], root)).rejects.toThrow("add --yes to confirm");
    expect(readFileSync(app, "utf8")).toBe("// my work\n");
  });

  it("restores from a shipped snapshot where there are no solutions (the learner edition)", async () => {
    cpSync(join(root, "exercises", SLUG), join(root, "starters", SLUG), { recursive: true });
    rmSync(join(root, "solutions"), { recursive: true });
    writeFileSync(join(root, "exercises", SLUG, "src", "app.ts"), "// my work\n");
    expect(await reset(["02", "--yes"], root)).toBe(0);
    expect(readFileSync(join(root, "exercises", SLUG, "src", "app.ts"), "utf8")).not.toContain("// my work");
  });
});

describe("solution(['02'])", () => {
  it("shows the difference between the exercise and the solution, once confirmed", async () => {
    expect(await solution(["02", "--yes"], root)).toBe(0);
    const diff = printed.join("\n");
    expect(diff).toContain(`--- exercises/${SLUG}/src/app.ts`);
    expect(diff).toContain(`+++ solutions/${SLUG}/src/app.ts`);
    expect(diff).toContain("+    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);");
  });

  it("shows only code: none of the generator's region markers", async () => {
    expect(readFileSync(join(root, "solutions", SLUG, "src", "app.ts"), "utf8")).toContain("// #region solution:");
    await solution(["02", "--yes"], root);
    expect(printed.join("\n")).not.toMatch(/#region|#endregion/);
  });

  it("shows nothing without a confirmation, and says so where there are no solutions", async () => {
    await expect(solution(["02"], root)).rejects.toThrow("add --yes to confirm");
    expect(printed.join("\n")).not.toContain("+++");
    rmSync(join(root, "solutions"), { recursive: true });
    await expect(solution(["02", "--yes"], root)).rejects.toThrow("the solutions are not part of this edition");
  });

  it("takes a no for an answer: nothing shown, exit 0", async () => {
    expect(await solution(["02"], root, answering("no"))).toBe(0);
    expect(printed).toEqual(["Nothing shown."]);
  });

  it("takes a typo of --yes for what it is", async () => {
    await expect(solution(["02", "--yse"], root)).rejects.toThrow("unknown option --yse. Did you mean --yes?");
  });
});

describe("recordGrades(root, grades)", () => {
  it("keeps the first time an exercise passed", () => {
    recordGrades(root, [{ id: SLUG, status: "passed" }], new Date("2026-11-20T10:00:00Z"));
    recordGrades(root, [{ id: SLUG, status: "passed" }], new Date("2026-11-25T10:00:00Z"));
    expect(readProgress(root).exercises[SLUG]).toEqual({
      passedAt: "2026-11-20T10:00:00.000Z",
      lastGradedAt: "2026-11-25T10:00:00.000Z",
    });
  });
});
