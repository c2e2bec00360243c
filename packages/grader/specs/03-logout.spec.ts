import { setDatetimeCookieChecks } from "../src/checks/01-set-datetime-cookie.js";
import { readLastVisitChecks } from "../src/checks/02-read-last-visit.js";
import { logoutChecks } from "../src/checks/03-logout.js";
import { gradeExercise } from "../src/harness/check.js";

gradeExercise("03-logout", [setDatetimeCookieChecks, readLastVisitChecks, logoutChecks]);
