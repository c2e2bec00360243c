import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { graderRoot } from "./run.js";

/**
 * Copies the exercise sources of a submission, and nothing else, into a folder inside the grader package, so that
 * the hidden suite grades them with this workspace's dependencies (a submission has no node_modules) and nothing
 * the submission carries besides `exercises/<slug>/src` can take part: no specs, configs, scripts or tests of its own.
 *
 * @returns the staging folder (its `<slug>/src` mirror the submission's) and a function that removes it
 */
export function stageSubmission(submissionDir: string, slugs: readonly string[]): { dir: string; remove(): void } {
  const stagingRoot = join(graderRoot, ".staging");
  mkdirSync(stagingRoot, { recursive: true });
  const dir = mkdtempSync(join(stagingRoot, "submission-"));
  for (const slug of slugs) {
    const source = join(submissionDir, "exercises", slug, "src");
    if (!existsSync(source) || !statSync(source).isDirectory()) continue;
    cpSync(source, join(dir, slug, "src"), {
      recursive: true,
      // Links could point anywhere on the grading machine: only plain files and folders are copied.
      filter: (path) => !path.includes("node_modules") && !isSymlink(path),
    });
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function isSymlink(path: string): boolean {
  return lstatSync(path).isSymbolicLink();
}
