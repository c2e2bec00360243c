import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findApp, listApps } from "../src/workspace.js";

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "course-"));
  for (const slug of ["02-read-last-visit", "01-set-datetime-cookie", "notes"]) {
    mkdirSync(join(root, "exercises", slug), { recursive: true });
    writeFileSync(
      join(root, "exercises", slug, "package.json"),
      JSON.stringify({ name: `@cookie-course/exercise-${slug}` }),
    );
  }
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("listApps(kind, root)", () => {
  it("lists the NN-slug folders in course order and skips anything else", () => {
    expect(listApps("exercise", root).map((app) => [app.number, app.slug, app.packageName])).toEqual([
      ["01", "01-set-datetime-cookie", "@cookie-course/exercise-01-set-datetime-cookie"],
      ["02", "02-read-last-visit", "@cookie-course/exercise-02-read-last-visit"],
    ]);
  });
});

describe("findApp(kind, query, root)", () => {
  it.each(["2", "02", "02-read-last-visit"])("finds exercise 02 from %s", (query) => {
    expect(findApp("exercise", query, root).slug).toBe("02-read-last-visit");
  });

  it("names the exercises that exist when asked for one that does not", () => {
    expect(() => findApp("exercise", "7", root)).toThrow(
      'No exercise "7". Choose one of: 01-set-datetime-cookie, 02-read-last-visit.',
    );
  });
});
