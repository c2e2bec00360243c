#!/usr/bin/env node
// The course's commands are TypeScript; tsx runs them on Node 20, which cannot strip types itself.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
