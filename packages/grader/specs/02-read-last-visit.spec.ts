import { checkGroups } from "../src/checks/groups.js";
import { gradeExercise } from "../src/harness/check.js";

// 02 extends 01's app: a regression of 01 is caught where it happens.
gradeExercise("02-read-last-visit", [checkGroups.setDatetimeCookie, checkGroups.readLastVisit]);
