import { checkGroups } from "../src/checks/groups.js";
import { gradeExercise } from "../src/harness/check.js";

gradeExercise("01-set-datetime-cookie", [checkGroups.setDatetimeCookie]);
