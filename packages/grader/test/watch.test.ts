import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, expect, it } from "vitest";
import type { Vitest } from "vitest/node";
import type { ExerciseResult } from "../src/results.js";
import { graderRoot } from "../src/run.js";
import { watchExercises } from "../src/watch.js";

const workspace = fileURLToPath(new URL("../../../", import.meta.url));
const SLUG = "02-read-last-visit";
// Inside the grader package, so the copied app resolves express and cookie-utils as a staged submission does.
mkdirSync(join(graderRoot, ".staging"), { recursive: true });
const dir = mkdtempSync(join(graderRoot, ".staging", "watch-"));
let vitest: Vitest | undefined;

afterAll(async () => {
  await vitest?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("grades the exercise, then grades it again when a file is saved", async () => {
  cpSync(join(workspace, "exercises", SLUG, "src"), join(dir, SLUG, "src"), { recursive: true });
  const runs: ExerciseResult[][] = [];
  let notify = () => {};
  const nextRun = () => new Promise<void>((resolve) => (notify = resolve));

  const first = nextRun();
  vitest = await watchExercises(dir, [SLUG], (results) => {
    runs.push(results);
    notify();
  });
  await first;
  expect(runs[0]!.map((result) => [result.id, result.status])).toEqual([[SLUG, "failed"]]);

  // Saving the solution's app over the starter's: the watcher grades again, and now it passes.
  await new Promise((resolve) => setTimeout(resolve, 500));
  const second = nextRun();
  cpSync(join(workspace, "solutions", SLUG, "src", "app.ts"), join(dir, SLUG, "src", "app.ts"));
  await second;
  expect(runs.at(-1)!.map((result) => [result.id, result.status])).toEqual([[SLUG, "passed"]]);
}, 60_000);
