import { checkGroups } from "../src/checks/groups.js";
import { gradeExercise } from "../src/harness/check.js";

gradeExercise("03-logout", [checkGroups.setDatetimeCookie, checkGroups.readLastVisit, checkGroups.logout]);
