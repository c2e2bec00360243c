import type { Check, CheckGroup } from "../harness/check.js";
import { setDatetimeCookieChecks } from "./01-set-datetime-cookie.js";
import { readLastVisitChecks } from "./02-read-last-visit.js";
import { logoutChecks } from "./03-logout.js";

// Hidden checks, where this copy of the grader has them: the learner edition ships without src/checks/hidden/, and
// then this finds nothing. (import.meta.glob is resolved by vite, which runs the specs.)
const hiddenModules = import.meta.glob<{ hiddenChecks: readonly Check[] }>("./hidden/*.ts", { eager: true });

function withHiddenChecks(group: CheckGroup): CheckGroup {
  const hidden = hiddenModules[`./hidden/${group.exercise}.ts`]?.hiddenChecks ?? [];
  return { exercise: group.exercise, checks: [...group.checks, ...hidden] };
}

/** Each exercise's checks, visible then hidden. 02's grade uses 01's too, and 03's both. */
export const checkGroups = {
  setDatetimeCookie: withHiddenChecks(setDatetimeCookieChecks),
  readLastVisit: withHiddenChecks(readLastVisitChecks),
  logout: withHiddenChecks(logoutChecks),
};
