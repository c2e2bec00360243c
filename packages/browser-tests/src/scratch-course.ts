import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { workspaceRoot } from "@cookie-course/grader/workspace";

/** What a copied starter leaves behind: installed packages (linked instead), and what runs wrote. */
const NOT_COPIED = new Set(["node_modules", "reports", "dist", ".turbo", "coverage"]);

/** A course of the workbook's own, in a temporary folder: tests save files in it, never in the repo's exercises. */
export interface ScratchCourse {
  readonly root: string;
  /** `exercises/<slug>` of the scratch course. */
  exerciseDir(slug: string): string;
  /** Writes solution `slug`'s `src/<file>` over the scratch starter's: the learner's save that fixes it. */
  writeSolutionFile(slug: string, file: string): void;
  remove(): void;
}

/**
 * Copies the starters `slugs` from exercises/ (their files; `node_modules` is a link to the real one, so tsx,
 * express and the course's packages resolve as in the repo), the lesson's README, and links solutions/ so the
 * course is the instructor edition.
 */
export function makeScratchCourse(slugs: readonly string[]): ScratchCourse {
  const root = mkdtempSync(join(tmpdir(), "workbook-course-"));
  for (const slug of slugs) {
    const source = join(workspaceRoot, "exercises", slug);
    const target = join(root, "exercises", slug);
    cpSync(source, target, { recursive: true, filter: (path) => path === source || !NOT_COPIED.has(basename(path)) });
    link(join(source, "node_modules"), join(target, "node_modules"));
  }
  mkdirSync(join(root, "lesson"));
  writeFileSync(join(root, "lesson", "README.md"), readFileSync(join(workspaceRoot, "lesson", "README.md")));
  link(join(workspaceRoot, "solutions"), join(root, "solutions"));

  return {
    root,
    exerciseDir: (slug) => join(root, "exercises", slug),
    writeSolutionFile(slug, file) {
      writeFileSync(
        join(root, "exercises", slug, "src", file),
        readFileSync(join(workspaceRoot, "solutions", slug, "src", file)),
      );
    },
    remove() {
      // The links go, not what they point at: rmSync does not follow them.
      rmSync(root, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/** A folder link: a junction on Windows, which needs no administrator rights. */
function link(target: string, path: string): void {
  symlinkSync(target, path, process.platform === "win32" ? "junction" : "dir");
}
