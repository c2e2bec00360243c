import { setDatetimeCookieChecks } from "../src/checks/01-set-datetime-cookie.js";
import { readLastVisitChecks } from "../src/checks/02-read-last-visit.js";
import { gradeExercise } from "../src/harness/check.js";

// 02 extends 01's app: a regression of 01 is caught where it happens.
gradeExercise("02-read-last-visit", [setDatetimeCookieChecks, readLastVisitChecks]);
