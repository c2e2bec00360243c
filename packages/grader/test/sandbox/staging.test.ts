import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectSources } from "../../src/sandbox/staging.js";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "grader-staging-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An exercise folder `exercises/<slug>/src` with these files (relative to src). */
function exercise(slug: string, files: Record<string, string>): string {
  const dir = join(root, "exercises", slug);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, "src", path, ".."), { recursive: true });
    writeFileSync(join(dir, "src", path), text);
  }
  return dir;
}

describe("collectSources(exerciseDir)", () => {
  it("collects the regular files under src, nested folders included", () => {
    const dir = exercise("plain", { "app.ts": "a", "lib/page.ts": "b" });
    expect(collectSources(dir)).toEqual({
      files: [
        { path: join(dir, "src", "app.ts"), relative: "app.ts" },
        { path: join(dir, "src", "lib", "page.ts"), relative: join("lib", "page.ts") },
      ],
      ignored: [],
    });
  });

  it("never follows a linked file or folder under src, and names it", () => {
    const secret = exercise("secret", { "app.ts": "the answer" });
    const dir = exercise("linked", { "app.ts": "a" });
    symlinkSync(join(secret, "src", "app.ts"), join(dir, "src", "answer.ts"));
    symlinkSync(join(secret, "src"), join(dir, "src", "lib"));
    const collected = collectSources(dir);
    expect(collected.files.map((file) => file.relative)).toEqual(["app.ts"]);
    expect(collected.ignored).toEqual([
      "exercises/linked/src/answer.ts (a symbolic link)",
      "exercises/linked/src/lib (a symbolic link)",
    ]);
  });

  it("grades nothing when the exercise folder or its src is a link", () => {
    const secret = exercise("secret2", { "app.ts": "the answer" });
    symlinkSync(join(secret), join(root, "exercises", "linked-folder"));
    expect(collectSources(join(root, "exercises", "linked-folder"))).toEqual({
      files: [],
      ignored: ["exercises/linked-folder (a symbolic link)"],
      missing: "exercises/linked-folder is a symbolic link, which is never followed",
    });
    mkdirSync(join(root, "exercises", "linked-src"));
    symlinkSync(join(secret, "src"), join(root, "exercises", "linked-src", "src"));
    expect(collectSources(join(root, "exercises", "linked-src")).missing).toBe(
      "exercises/linked-src/src is a symbolic link, which is never followed",
    );
  });

  it("says what is missing", () => {
    expect(collectSources(join(root, "exercises", "nowhere")).missing).toBe("exercises/nowhere is missing");
    mkdirSync(join(root, "exercises", "empty"));
    expect(collectSources(join(root, "exercises", "empty")).missing).toBe("exercises/empty/src is missing");
  });
});
