import { existsSync } from "node:fs";
import type { Check, CheckGroup } from "../harness/check.js";
import { setDatetimeCookieChecks } from "./01-set-datetime-cookie.js";
import { readLastVisitChecks } from "./02-read-last-visit.js";
import { logoutChecks } from "./03-logout.js";

/**
 * Hidden checks, where this copy of the grader has them: the learner edition ships without src/checks/hidden/,
 * and then there are none. Where the folder is, its modules must load: a hidden check that fails to load must stop
 * grading, never drop out of the grade unnoticed. (A computed path, so that the edition compiles without them.)
 */
async function withHiddenChecks(group: CheckGroup): Promise<CheckGroup> {
  if (!existsSync(new URL("./hidden/", import.meta.url))) return group;
  const path = `./hidden/${group.exercise}.js`;
  const module = (await import(path)) as { hiddenChecks?: readonly Check[] };
  if (!module.hiddenChecks) throw new Error(`${path} exports no hiddenChecks.`);
  return { exercise: group.exercise, checks: [...group.checks, ...module.hiddenChecks] };
}

/** Each exercise's checks, visible then hidden, in the order they run. */
async function loadGroups(): Promise<Readonly<Record<string, readonly CheckGroup[]>>> {
  const [setDatetimeCookie, readLastVisit, logout] = await Promise.all([setDatetimeCookieChecks, readLastVisitChecks, logoutChecks].map(withHiddenChecks));
  return {
    "01-set-datetime-cookie": [setDatetimeCookie!],
    // 02 extends 01's app: a regression of 01 is caught where it happens.
    "02-read-last-visit": [setDatetimeCookie!, readLastVisit!],
    "03-logout": [setDatetimeCookie!, readLastVisit!, logout!],
  };
}

let groups: ReturnType<typeof loadGroups> | undefined;

/** The checks that grade an exercise, or undefined for an exercise this grader does not know. */
export async function checkGroupsFor(exercise: string): Promise<readonly CheckGroup[] | undefined> {
  groups ??= loadGroups();
  return (await groups)[exercise];
}
