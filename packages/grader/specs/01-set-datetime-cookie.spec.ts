import { setDatetimeCookieChecks } from "../src/checks/01-set-datetime-cookie.js";
import { gradeExercise } from "../src/harness/check.js";

gradeExercise("01-set-datetime-cookie", [setDatetimeCookieChecks]);
