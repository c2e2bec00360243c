import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import type { ExerciseResult } from "../src/results.js";
import { watchExercises } from "../src/watch.js";

const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const SLUG = "02-read-last-visit";
const dir = mkdtempSync(join(tmpdir(), "grader-watch-"));
let stop: (() => Promise<void>) | undefined;

afterAll(async () => {
  await stop?.();
  rmSync(dir, { recursive: true, force: true });
});

it("grades the exercise, then grades it again when a file is saved", async () => {
  cpSync(join(workspace, "exercises", SLUG, "src"), join(dir, SLUG, "src"), { recursive: true });
  const runs: ExerciseResult[][] = [];
  let notify = () => {};
  const nextRun = () => new Promise<void>((resolve) => (notify = resolve));

  // The first grade is done when watchExercises returns: the watchers start after it.
  stop = await watchExercises(dir, [SLUG], (results) => {
    runs.push(results);
    notify();
  });
  expect(runs.map((run) => run.map((result) => [result.id, result.status]))).toEqual([[[SLUG, "failed"]]]);

  // Saving the solution's app over the starter's: the watcher grades again, and now it passes.
  const second = nextRun();
  cpSync(join(workspace, "solutions", SLUG, "src", "app.ts"), join(dir, SLUG, "src", "app.ts"));
  await second;
  expect(runs.at(-1)!.map((result) => [result.id, result.status])).toEqual([[SLUG, "passed"]]);
}, 120_000);
