#!/usr/bin/env node
import { packageDirOf, runFreshest } from "@cookie-course/course-tools/run-freshest";

await runFreshest(packageDirOf(import.meta.url), "cli");
