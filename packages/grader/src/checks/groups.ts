import { existsSync, readdirSync } from "node:fs";
import type { Check, CheckGroup } from "../harness/check.js";

/** An exercise's check module: `01-set-datetime-cookie.ts` (or `.js` once built), named as its exercise folder. */
const CHECK_MODULE = /^(\d{2}-[a-z0-9-]+)\.(?:ts|js)$/;

/**
 * The exercises this grader has checks for, in course order: one module per exercise in this folder. A learner
 * edition released through 01 holds only 01's module, and grades only 01.
 */
function exercisesWithChecks(): string[] {
  const names = readdirSync(new URL(".", import.meta.url)).filter((name) => !name.endsWith(".d.ts"));
  return [...new Set(names.map((name) => CHECK_MODULE.exec(name)?.[1]).filter((slug) => slug !== undefined))].sort();
}

/** An exercise's visible checks, then its hidden ones where this copy of the grader has them. */
async function loadGroup(exercise: string): Promise<CheckGroup> {
  const path = `./${exercise}.js`;
  const module = (await import(path)) as { checkGroup?: CheckGroup };
  if (module.checkGroup?.exercise !== exercise) throw new Error(`${path} must export the checkGroup of ${exercise}.`);
  return { ...module.checkGroup, checks: [...module.checkGroup.checks, ...(await hiddenChecks(exercise))] };
}

/**
 * Hidden checks: the learner edition ships without src/checks/hidden/, and then there are none. Where the folder
 * is, its modules must load: a hidden check that fails to load must stop grading, never drop out of the grade
 * unnoticed.
 */
async function hiddenChecks(exercise: string): Promise<readonly Check[]> {
  if (!existsSync(new URL("./hidden/", import.meta.url))) return [];
  const path = `./hidden/${exercise}.js`;
  const module = (await import(path)) as { hiddenChecks?: readonly Check[] };
  if (!module.hiddenChecks) throw new Error(`${path} exports no hiddenChecks.`);
  return module.hiddenChecks;
}

/**
 * Each exercise's checks, in the order they run: every earlier exercise's group (run again as a gate, so that a
 * regression is caught where it happens), then its own.
 */
async function loadGroups(): Promise<ReadonlyMap<string, readonly CheckGroup[]>> {
  const groups = await Promise.all(exercisesWithChecks().map(loadGroup));
  return new Map(groups.map((group, index) => [group.exercise, groups.slice(0, index + 1)]));
}

let groups: ReturnType<typeof loadGroups> | undefined;

/** The checks that grade an exercise, or undefined for an exercise this grader does not know. */
export async function checkGroupsFor(exercise: string): Promise<readonly CheckGroup[] | undefined> {
  groups ??= loadGroups();
  return (await groups).get(exercise);
}
