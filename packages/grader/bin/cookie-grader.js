#!/usr/bin/env node
import { packageDirOf, runFreshest } from "./run-freshest.js";

await runFreshest(packageDirOf(import.meta.url), "cli");
