#!/usr/bin/env node
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { packageDirOf, runFreshest } from "@cookie-course/grader/run-freshest";

// The workbook imports the grader and cookie-testing: it runs from src/ while either build is missing or stale, too.
const uses = ["@cookie-course/grader", "@cookie-course/cookie-testing"].map((name) => dirname(fileURLToPath(import.meta.resolve(`${name}/package.json`))));
await runFreshest(packageDirOf(import.meta.url), "cli", { uses });
