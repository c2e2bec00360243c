import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { globSync } from "tinyglobby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { releaseLearner } from "../src/release.js";

let out: string;

// It runs git (ls-files), copies the course's files and imports the grader's build to hash the suite: a process
// and a lot of disk on a busy machine, so a limit sized for one rather than vitest's 10 s for a hook.
beforeAll(async () => {
  out = join(mkdtempSync(join(tmpdir(), "learner-")), "edition");
  // The lockfile step runs pnpm; CI's .ci/run installs and grades a full edition, this test checks what is in it.
  await releaseLearner([out, "--no-lockfile"]);
}, 120_000);
afterAll(() => rmSync(join(out, ".."), { recursive: true, force: true }));

describe("releaseLearner(OUT)", () => {
  it("ships the exercises, the lesson, cookie-utils and the grader with its visible checks", () => {
    for (const path of [
      "exercises/01-set-datetime-cookie/src/app.ts",
      "exercises/03-logout/README.md",
      "lesson/README.md",
      "packages/cookie-utils/src/visit-time.ts",
      "packages/grader/src/sandbox/host-main.ts",
      "packages/grader/src/checks/02-read-last-visit.ts",
      "packages/grader/suite.sha256",
      ".github/workflows/grade.yml",
      "starters/02-read-last-visit/src/app.ts",
    ]) {
      expect(existsSync(join(out, path)), path).toBe(true);
    }
  });

  it("leaves out the solutions, the hidden checks, the grader's fixtures and the course's own CI", () => {
    const files = globSync("**/*", { cwd: out, dot: true });
    expect(files.filter((file) => /^solutions\/|checks\/hidden\/|grader\/test\/|^\.ci\/|^templates\/|^docs\/|workflows\/course\.yml/.test(file))).toEqual([]);
  });

  it("has the learner's README and scripts, and a workspace without solutions", () => {
    expect(readFileSync(join(out, "README.md"), "utf8")).toContain("# Cookie course: your workbook");
    const manifest = JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(manifest.scripts).sort()).toEqual(["build", "dev", "grade", "hint", "lint", "prepare", "reset", "solution", "test", "typecheck", "watch"]);
    expect(manifest.devDependencies["@changesets/cli"]).toBeUndefined();
    expect(readFileSync(join(out, "pnpm-workspace.yaml"), "utf8")).not.toContain("solutions");
  });

  it("records a suite manifest for its own, smaller suite", () => {
    const manifest = readFileSync(join(out, "packages/grader/suite.sha256"), "utf8");
    expect(manifest).toContain("  src/checks/01-set-datetime-cookie.ts\n");
    expect(manifest).not.toContain("hidden/");
  });

  it("refuses a folder that is not empty", async () => {
    await expect(releaseLearner([out])).rejects.toThrow("is not empty");
  });
});
