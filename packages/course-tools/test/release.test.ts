import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UsageError } from "../src/errors.js";
import { linkTarget, localLinks } from "../src/release/markdown.js";
import { listFiles } from "../src/release/edition.js";
import { refuseChangedStarters, releaseLearner } from "../src/release.js";
import { withoutRegionMarkers } from "../src/starters/regions.js";
import { listApps, workspaceRoot } from "../src/workspace.js";

const GRADER = join(workspaceRoot, "packages", "grader");
const [first, second] = listApps("exercise");

/** The ids of a compiled check module's checks (hidden modules export `hiddenChecks`, visible ones a group). */
async function checkIds(module: string): Promise<string[]> {
  const exports = (await import(pathToFileURL(join(GRADER, "dist", "checks", module)).href)) as Record<string, unknown>;
  return Object.values(exports).flatMap((value) => {
    const checks = Array.isArray(value) ? value : (value as { checks?: unknown } | undefined)?.checks;
    return Array.isArray(checks) ? checks.map((check) => (check as { id: string }).id) : [];
  });
}

function tempFolder(): string {
  return mkdtempSync(join(tmpdir(), "learner-"));
}

function run(command: string, args: string[], cwd: string) {
  // The edition's own pnpm, as a learner runs it; turbo would otherwise look for the course's daemon.
  return spawnSync(command, args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, npm_config_offline: "true" },
    shell: process.platform === "win32",
  });
}

describe("releaseLearner(OUT --through 01)", () => {
  let out: string;
  let files: string[];

  // It runs git (ls-files), copies the course's files and imports the grader's build to hash the suite: a process
  // and a lot of disk on a busy machine, so a limit sized for one rather than vitest's 10 s for a hook.
  beforeAll(async () => {
    out = join(tempFolder(), "edition");
    // The lockfile step runs pnpm; the --update test below installs and grades an edition, this one reads it.
    await releaseLearner([out, "--through", "01", "--no-lockfile"]);
    files = listFiles(out);
  }, 120_000);
  // An installed edition is thousands of files: removing them on a busy machine outlasts vitest's 10 s for a hook.
  afterAll(() => rm(join(out, ".."), { recursive: true, force: true }), 120_000);

  it("ships exercise 01 alone, with its pristine starter, the lesson, cookie-utils and the grader", () => {
    expect(readdirSync(join(out, "exercises"))).toEqual([first!.slug]);
    expect(readdirSync(join(out, "starters"))).toEqual([first!.slug]);
    for (const path of [
      "lesson/README.md",
      "packages/cookie-utils/src/visit-time.ts",
      "packages/grader/src/sandbox/host-main.ts",
      "packages/grader/suite.sha256",
      ".github/workflows/grade.yml",
      "course-edition.json",
    ]) {
      expect(existsSync(join(out, path)), path).toBe(true);
    }
  });

  it("holds no solutions, no hidden check and no hidden check's id, anywhere", async () => {
    expect(
      files.filter((file) =>
        /^solutions\/|checks\/hidden\/|grader\/test\/|^\.ci\/|^templates\/|^docs\/|workflows\/course\.yml/.test(file),
      ),
    ).toEqual([]);
    const hiddenIds = (
      await Promise.all(
        readdirSync(join(GRADER, "src", "checks", "hidden")).map((file) =>
          checkIds(`hidden/${file.replace(/\.ts$/, ".js")}`),
        ),
      )
    ).flat();
    expect(hiddenIds.length).toBeGreaterThan(0);
    const leaks = files.flatMap((file) => {
      const text = readFileSync(join(out, file), "utf8");
      return hiddenIds.filter((id) => text.includes(id)).map((id) => `${file}: ${id}`);
    });
    expect(leaks).toEqual([]);
  });

  it("has a grader that knows exercise 01's visible checks and no later exercise's", async () => {
    const laterIds = (
      await Promise.all(
        listApps("exercise")
          .slice(1)
          .map((app) => checkIds(`${app.slug}.js`)),
      )
    ).flat();
    expect(laterIds.length).toBeGreaterThan(0);
    const grader = files.filter((file) => file.startsWith("packages/grader/"));
    expect(
      grader.flatMap((file) =>
        laterIds.filter((id) => readFileSync(join(out, file), "utf8").includes(id)).map((id) => `${file}: ${id}`),
      ),
    ).toEqual([]);
    expect(readFileSync(join(out, "packages/grader/src/checks/01-set-datetime-cookie.ts"), "utf8")).toBe(
      readFileSync(join(GRADER, "src/checks/01-set-datetime-cookie.ts"), "utf8"),
    );
    const manifest = readFileSync(join(out, "packages/grader/suite.sha256"), "utf8");
    expect(manifest).toContain("  src/checks/01-set-datetime-cookie.ts\n");
    expect(manifest).not.toContain("hidden/");
  });

  it("has no instructor tooling: neither the scripts nor their code", () => {
    const manifest = JSON.parse(readFileSync(join(out, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.scripts).sort()).toEqual([
      "build",
      "dev",
      "grade",
      "hint",
      "lint",
      "prepare",
      "reset",
      "start",
      "test",
      "typecheck",
      "watch",
    ]);
    expect(manifest.devDependencies["@changesets/cli"]).toBeUndefined();
    // The course's format check is the course's: a learner's code is theirs to lay out.
    expect(manifest.scripts.lint).toBe("course turbo run lint");
    expect(manifest.devDependencies.prettier).toBeUndefined();
    const tools = files.filter((file) => file.startsWith("packages/course-tools/src/"));
    expect(tools.filter((file) => /verify|bench|release|starters\/|solution|course-commands/.test(file))).toEqual([]);
    for (const file of tools)
      expect(readFileSync(join(out, file), "utf8"), file).not.toMatch(
        /import\("\.\/(verify|bench|release|solution)\.js"\)/,
      );
    expect(readFileSync(join(out, "pnpm-workspace.yaml"), "utf8")).not.toContain("solutions");
    // The tool packages' READMEs are the maintainers': how to add an exercise, the instructor's commands.
    expect(files.filter((file) => /^packages\/(grader|course-tools)\/README\.md$/.test(file))).toEqual([]);
  });

  it("has no Markdown link to a file or folder it does not contain", () => {
    const broken = files
      .filter((file) => file.endsWith(".md"))
      .flatMap((file) =>
        localLinks(readFileSync(join(out, file), "utf8"))
          .filter((target) => !existsSync(linkTarget(out, file, target)))
          .map((target) => `${file} → ${target}`),
      );
    expect(broken).toEqual([]);
    // The README's exercise table names what comes later, without a link to it.
    expect(readFileSync(join(out, "README.md"), "utf8")).toContain("# Cookie course: your workbook");
    expect(readFileSync(join(out, "README.md"), "utf8")).not.toContain(`](exercises/${second!.slug}`);
  });

  it("contains nothing of exercise 01's solution in exercise code, starters or docs", () => {
    const solution = withoutRegionMarkers(
      readFileSync(join(workspaceRoot, "solutions", first!.slug, "src", "app.ts"), "utf8"),
    );
    // The line the learner writes in 01, as the solution writes it and as the docs showed it.
    const answers = [
      "res.cookie(VISIT_COOKIE_NAME",
      ...solution
        .split("\n")
        .filter((line) => line.includes("res.cookie("))
        .map((line) => line.trim()),
    ];
    // The grader's visible checks are left out of this search: the last of their progressive hints, shown one at a
    // time by `pnpm hint`, is meant to come close to the answer.
    const searched = files.filter((file) => !file.startsWith("packages/grader/src/checks/"));
    const found = searched.flatMap((file) =>
      answers
        .filter((answer) => readFileSync(join(out, file), "utf8").includes(answer))
        .map((answer) => `${file}: ${answer}`),
    );
    expect(found).toEqual([]);
  });

  it("refuses a folder that is not empty, a release without --through, and a typo", async () => {
    await expect(releaseLearner([out, "--through", "01"])).rejects.toThrow("is not empty");
    await expect(releaseLearner([join(out, "..", "other")])).rejects.toThrow("--through NN");
    await expect(releaseLearner([join(out, "..", "other"), "--trough", "01"])).rejects.toThrow(
      new UsageError("unknown option --trough. Did you mean --through?"),
    );
  });
});

describe("refuseChangedStarters", () => {
  it("lets a starter its solution generates go out, and stops one worked in this checkout, naming the file", () => {
    const root = tempFolder();
    try {
      for (const kind of ["exercises", "solutions"]) {
        for (const name of ["package.json", "tsconfig.json", "README.md", "starter.md", "src"]) {
          const from = join(workspaceRoot, kind, first!.slug, name);
          if (existsSync(from)) cpSync(from, join(root, kind, first!.slug, name), { recursive: true });
        }
      }
      expect(() => refuseChangedStarters([first!.slug], root)).not.toThrow();
      const app = join(root, "exercises", first!.slug, "src", "app.ts");
      writeFileSync(app, `${readFileSync(app, "utf8")}// my answer\n`);
      expect(() => refuseChangedStarters([first!.slug], root)).toThrow(`exercises/${first!.slug}/src/app.ts (differs)`);
      expect(() => refuseChangedStarters([], root)).not.toThrow();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("releaseLearner(--update EDITION --through 02)", () => {
  let parent: string;
  let edition: string;
  const learnerApp = () => join(edition, "exercises", first!.slug, "src", "app.ts");
  const progress = () => join(edition, ".course", "progress.json");
  let mine: string;
  let myProgress: string;

  // Two releases with their lockfiles, an install and a grade of the edition: minutes on a loaded machine.
  beforeAll(async () => {
    parent = tempFolder();
    edition = join(parent, "edition");
    await releaseLearner([edition, "--through", "01"]);
    // The learner solves 01 (in their own words: the solution, plus a line of their own) and has progress.
    mine = `${withoutRegionMarkers(readFileSync(join(workspaceRoot, "solutions", first!.slug, "src", "app.ts"), "utf8"))}// my own note\n`;
    writeFileSync(learnerApp(), mine);
    mkdirSync(join(edition, ".course"), { recursive: true });
    myProgress = `${JSON.stringify({ exercises: { [first!.slug]: { passedAt: "2026-11-20T10:00:00.000Z", hintsShown: { "01.sets-cookie": 2 } } } }, null, 2)}\n`;
    writeFileSync(progress(), myProgress);
    await releaseLearner(["--update", edition, "--through", "02"]);
  }, 300_000);
  afterAll(() => rm(parent, { recursive: true, force: true }), 120_000);

  it("leaves the learner's work and progress byte for byte, and adds exercise 02 with its starter", () => {
    expect(readFileSync(learnerApp(), "utf8")).toBe(mine);
    expect(readFileSync(progress(), "utf8")).toBe(myProgress);
    expect(readdirSync(join(edition, "exercises"))).toEqual([first!.slug, second!.slug]);
    expect(readFileSync(join(edition, "starters", second!.slug, "src", "app.ts"), "utf8")).toBe(
      readFileSync(join(second!.dir, "src", "app.ts"), "utf8"),
    );
    expect(JSON.parse(readFileSync(join(edition, "course-edition.json"), "utf8"))).toMatchObject({ through: "02" });
  });

  it("grades 01 and 02 with pnpm test, once installed", () => {
    const install = run("pnpm", ["install", "--frozen-lockfile"], edition);
    expect(install.status, install.stderr + install.stdout).toBe(0);
    const test = run("pnpm", ["test"], edition);
    expect(test.stdout).toContain("1/2 exercises passed");
    expect(test.stdout).toMatch(new RegExp(`${first!.slug}\\s.*✓ done`));
    expect(test.stdout).toMatch(new RegExp(`${second!.slug}\\s.*▶ current`));
    expect(test.status).toBe(1);
    // It ships no solutions/, so its usage offers nothing that needs them.
    for (const command of ["test", "watch"]) {
      const help = run("pnpm", ["run", command, "--help"], edition);
      expect(help.status, help.stderr).toBe(0);
      expect(help.stdout).toContain(`Usage: pnpm ${command}`);
      expect(help.stdout).not.toContain("solutions");
    }
  }, 300_000);

  it("never takes an exercise back, and refuses a folder that is not an edition", async () => {
    await expect(releaseLearner(["--update", edition, "--through", "01", "--no-lockfile"])).rejects.toThrow(
      "already holds exercises through 02",
    );
    const plain = join(parent, "plain");
    cpSync(join(edition, "lesson"), join(plain, "lesson"), { recursive: true });
    await expect(releaseLearner(["--update", plain, "--through", "02", "--no-lockfile"])).rejects.toThrow(
      "not a learner edition",
    );
  });
});
