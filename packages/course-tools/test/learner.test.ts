import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { hint, reset, solution } from "../src/learner.js";
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
  rmSync(root, { recursive: true, force: true });
});

function writeGrade(checks: object[]) {
  mkdirSync(join(root, "exercises", SLUG, "reports"), { recursive: true });
  writeFileSync(join(root, "exercises", SLUG, "reports", "grade.json"), JSON.stringify({ status: "failed", checks }));
}

describe("hint(['02'])", () => {
  const failing = { id: "02.no-xss", name: "Never reflects", status: "failed", hints: ["first nudge", "second", "almost the answer"] };

  it("shows one more hint each time, remembers it locally, and stops at the last", async () => {
    writeGrade([{ id: "02.page", name: "page", status: "passed" }, failing]);
    await hint(["02"], root);
    expect(printed.join("\n")).toContain("1/3  first nudge");
    expect(printed.join("\n")).not.toContain("second");
    await hint(["02"], root);
    await hint(["02"], root);
    await hint(["02"], root);
    expect(printed.join("\n")).toContain("3/3  almost the answer");
    expect(printed.join("\n")).toContain("That was the last hint for this check.");
    expect(readProgress(root).exercises[SLUG]?.hintsShown).toEqual({ "02.no-xss": 3 });
  });

  it("asks for a grade first when there is none", async () => {
    expect(await hint(["02"], root)).toBe(1);
    expect(printed.join("\n")).toContain("Grade it first: pnpm test 02");
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

  it("changes nothing without a confirmation", async () => {
    const app = join(root, "exercises", SLUG, "src", "app.ts");
    writeFileSync(app, "// my work\n");
    expect(await reset(["02"], root)).toBe(1);
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

  it("shows nothing without a confirmation, and says so where there are no solutions", async () => {
    expect(await solution(["02"], root)).toBe(1);
    expect(printed.join("\n")).not.toContain("+++");
    rmSync(join(root, "solutions"), { recursive: true });
    expect(await solution(["02", "--yes"], root)).toBe(1);
    expect(printed.join("\n")).toContain("The solutions are not part of this edition");
  });
});

describe("recordGrades(root, grades)", () => {
  it("keeps the first time an exercise passed", () => {
    recordGrades(root, [{ id: SLUG, status: "passed" }], new Date("2026-11-20T10:00:00Z"));
    recordGrades(root, [{ id: SLUG, status: "passed" }], new Date("2026-11-25T10:00:00Z"));
    expect(readProgress(root).exercises[SLUG]).toEqual({ passedAt: "2026-11-20T10:00:00.000Z", lastGradedAt: "2026-11-25T10:00:00.000Z" });
  });
});
