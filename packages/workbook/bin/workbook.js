#!/usr/bin/env node
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { packageDirOf, runFreshest } from "@cookie-course/grader/run-freshest";

// The workbook imports the grader: it runs from src/ while the grader's build is missing or stale, too.
const grader = dirname(fileURLToPath(import.meta.resolve("@cookie-course/grader/package.json")));
await runFreshest(packageDirOf(import.meta.url), "cli", { uses: [grader] });
