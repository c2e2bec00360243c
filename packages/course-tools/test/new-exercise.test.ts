import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as prettier from "prettier";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { UsageError } from "../src/errors.js";
import { authoredFiles, courseLayoutProblems } from "../src/course-layout.js";
import { newExercise } from "../src/new-exercise/command.js";
import { AUTHOR_TODO } from "../src/new-exercise/templates.js";
import { checkStarters } from "../src/starters/sync.js";
import { checkExerciseTables } from "../src/starters/tables.js";
import { listApps, workspaceRoot } from "../src/workspace.js";

/** Build output, installs and caches: a copy of the workspace does without them. */
const NOT_COPIED = new Set(["node_modules", "dist", "reports", "coverage", ".turbo", ".git", ".course"]);

/** The course as it is now: what a new exercise is measured against. */
const before = listApps("solution");
const last = before.at(-1)!;
const NUMBER = String(Number(last.number) + 1).padStart(2, "0");
// A name no real exercise takes, so that the test also runs in a workspace that has an exercise under way.
const NAME = "measured-example";
const SLUG = `${NUMBER}-${NAME}`;

// `pnpm new-exercise` in a copy of the workspace: what it writes, what the author is left to write, and whether
// every list of exercises (the grader's, the tables, the browser suite's) takes the new one in without an edit.
describe(`course new-exercise ${NAME}, in a copy of the workspace`, () => {
  let root: string;
  let printed: string;
  const steps: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "course-new-exercise-"));
    cpSync(workspaceRoot, root, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
    // The copy's grader loads its check modules with the workspace's packages.
    symlinkSync(
      join(workspaceRoot, "packages/grader/node_modules"),
      join(root, "packages/grader/node_modules"),
      "junction",
    );
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      const code = await newExercise([NAME], root, async (command, args) => {
        steps.push([basename(command), ...args.map((arg) => basename(arg))].join(" "));
        return 0;
      });
      expect(code).toBe(0);
      printed = log.mock.calls.map((call) => call.join(" ")).join("\n");
    } finally {
      log.mockRestore();
    }
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("numbers it after the last exercise, and names its package after its folder", () => {
    expect(listApps("solution", root).map((app) => app.slug)).toEqual([...before.map((app) => app.slug), SLUG]);
    expect(listApps("exercise", root).at(-1)).toMatchObject({
      slug: SLUG,
      packageName: `@cookie-course/exercise-${SLUG}`,
    });
    expect(listApps("solution", root).at(-1)!.packageName).toBe(`@cookie-course/solution-${SLUG}`);
  });

  it("grows the solution from the last one: its code kept, its region markers gone, one region for the new code", () => {
    const app = readFileSync(join(root, "solutions", SLUG, "src/app.ts"), "utf8");
    const previous = readFileSync(join(last.dir, "src/app.ts"), "utf8");
    expect(previous).toMatch(/\/\/ #region solution: /);
    expect(app.match(/\/\/ #region solution: [a-z-]+/g)).toEqual([`// #region solution: ${NAME}`]);
    const withoutMarkers = (text: string) =>
      text.split("\n").filter((line) => !/#(end)?region|TODO\(author\)/.test(line) && line.trim() !== "");
    expect(withoutMarkers(app)).toEqual(withoutMarkers(previous));
  });

  it(`leaves the author at most six files to write, fixtures included, and marks each place with ${AUTHOR_TODO}`, () => {
    const unfinished = authoredFiles(root, SLUG).filter((file) =>
      readFileSync(join(root, file), "utf8").includes(AUTHOR_TODO),
    );
    expect(unfinished).toEqual([
      `exercises/${SLUG}/README.md`,
      `packages/grader/src/checks/${SLUG}.ts`,
      `packages/grader/test/fixture-sets/${SLUG}.ts`,
      `solutions/${SLUG}/src/app.ts`,
      `solutions/${SLUG}/starter.md`,
    ]);
    // The next steps it prints: those five, and a test of the new behaviour.
    const listed = [...printed.matchAll(/^ {2}\d\. (\S+):/gm)].map((match) => match[1]);
    expect(listed).toHaveLength(6);
    expect(listed).toEqual(expect.arrayContaining(unfinished));
    expect(listed).toContain(`solutions/${SLUG}/test/${NAME}.test.ts`);
  });

  it("writes code that the format check accepts: pnpm lint passes on what it scaffolds", async () => {
    const written = [...authoredFiles(root, SLUG), "packages/browser-tests/package.json"];
    const unformatted: string[] = [];
    for (const file of written) {
      const path = join(root, file);
      const { ignored, inferredParser } = await prettier.getFileInfo(path, {
        ignorePath: join(root, ".prettierignore"),
      });
      if (ignored || inferredParser === null) continue;
      const options = { ...(await prettier.resolveConfig(path)), filepath: path };
      if (!(await prettier.check(readFileSync(path, "utf8"), options))) unformatted.push(file);
    }
    expect(unformatted).toEqual([]);
  });

  it("generates the starter and the READMEs' tables, so that course starters --check passes", () => {
    expect(checkStarters(root)).toEqual([]);
    expect(checkExerciseTables(root)).toEqual([]);
    expect(readFileSync(join(root, "exercises", SLUG, "src/app.ts"), "utf8")).toContain(`// 🐨 ${AUTHOR_TODO}:`);
    expect(readFileSync(join(root, "README.md"), "utf8")).toContain(
      `| ${NUMBER} | [${NAME}](exercises/${SLUG}/README.md) | ${AUTHOR_TODO}: the exercise's title`,
    );
  });

  it("records the grader's manifest, then installs", () => {
    expect(steps).toEqual(["node cookie-grader.js manifest", expect.stringMatching(/install$/)]);
  });

  it(
    "is in the grader's groups, graded after every earlier exercise's checks, with none of its own yet",
    { timeout: 60_000 },
    () => {
      // The copy's grader, loaded as the grader loads it (from its source, through tsx), in a process of its own.
      const script = join(root, "list-groups.mts");
      writeFileSync(
        script,
        `import { checkGroupsFor } from "./packages/grader/src/checks/groups.ts";
const groups = await checkGroupsFor(${JSON.stringify(SLUG)});
console.log(JSON.stringify(groups?.map((group) => [group.exercise, group.checks.length])));
`,
      );
      const tsx = createRequire(import.meta.url).resolve("tsx/cli");
      const listed = spawnSync(process.execPath, [tsx, script], { cwd: root, encoding: "utf8", timeout: 50_000 });
      expect(listed.status, listed.stderr).toBe(0);
      const groups = JSON.parse(listed.stdout) as [string, number][];
      expect(groups.map(([exercise]) => exercise)).toEqual([...before.map((app) => app.slug), SLUG]);
      expect(groups.at(-1)).toEqual([SLUG, 0]);
      for (const [exercise, checks] of groups.slice(0, -1)) expect(checks, exercise).toBeGreaterThan(0);
    },
  );

  it("is known to the browser suite, and verify names only what the author has left to write", () => {
    const manifest = JSON.parse(readFileSync(join(root, "packages/browser-tests/package.json"), "utf8")) as {
      devDependencies: Record<string, string>;
    };
    expect(manifest.devDependencies[`@cookie-course/solution-${SLUG}`]).toBe("workspace:*");
    expect(courseLayoutProblems(root)).toEqual([
      expect.stringMatching(
        new RegExp(`^exercise ${SLUG} is not finished: ${AUTHOR_TODO.replace(/[()]/g, "\\$&")} remains in `),
      ),
    ]);
  });

  it("refuses a slug that is not kebab-case, one that exists, and one with a number", async () => {
    const run = async () => 0;
    await expect(newExercise(["Sign_Cookie"], root, run)).rejects.toThrow(
      new UsageError(
        '"Sign_Cookie" is not a kebab-case slug: lower-case letters and digits, words joined by "-" (e.g. sign-cookie).',
      ),
    );
    await expect(newExercise([NAME], root, run)).rejects.toThrow(
      `exercise "${NAME}" exists already: solutions/${SLUG}.`,
    );
    await expect(newExercise([last.slug.slice(3)], root, run)).rejects.toThrow(
      `exists already: solutions/${last.slug}.`,
    );
    await expect(newExercise(["05-more"], root, run)).rejects.toThrow('give the slug without its number ("more")');
  });

  it("refuses, before writing anything, a slug whose check module is there already", async () => {
    const next = String(Number(NUMBER) + 1).padStart(2, "0");
    writeFileSync(join(root, "packages/grader/src/checks", `${next}-stale.ts`), "export {};\n");
    await expect(newExercise(["stale"], root, async () => 0)).rejects.toThrow(
      `packages/grader/src/checks/${next}-stale.ts exists already`,
    );
    expect(existsSync(join(root, "solutions", `${next}-stale`))).toBe(false);
  });
});

// What makes the grader's own tests need no edit for a new exercise: none of them writes the list of exercises
// or their count by hand (they derive both from the folders).
describe("the grader's and course-tools' tests", () => {
  const testFiles = ["packages/grader/test", "packages/course-tools/test"].flatMap((dir) =>
    readdirSync(join(workspaceRoot, dir))
      .filter((name) => name.endsWith(".ts"))
      .map((name) => join(dir, name)),
  );
  const slugs = before.map((app) => app.slug);

  // The course's slugs one after another in a list, or its count in the scoreboard's words, is the list by hand.
  // (Reports made up for a format's test may name real exercises: they do not change when one is added.)
  const list = new RegExp(slugs.map((slug) => `["'\`]${slug}["'\`]`).join("\\s*,\\s*"));
  const count = new RegExp(
    `\\b${slugs.length}/${slugs.length} exercises|\\b0/${slugs.length} exercises|passed \\(of ${slugs.length}\\)`,
  );

  it("finds a list written by hand, as the grader's tests had them", () => {
    expect(`const SLUGS = [${slugs.map((slug) => `"${slug}"`).join(", ")}];`).toMatch(list);
    expect(`expect(out).toContain("0/${slugs.length} exercises passed");`).toMatch(count);
  });

  it.each(testFiles)("%s lists no exercises and no count of them by hand", (file) => {
    const text = readFileSync(join(workspaceRoot, file), "utf8");
    expect(text).not.toMatch(list);
    expect(text).not.toMatch(count);
  });
});
