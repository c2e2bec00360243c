import { readFileSync } from "node:fs";
import { join } from "node:path";
import pc from "picocolors";
import { runTurbo } from "./turbo.js";
import { findApp, workspaceRoot } from "./workspace.js";

export const DEV_USAGE = `Usage: pnpm dev <number> [--solution]   e.g. pnpm dev 01, pnpm dev 02 --solution
       pnpm dev demo                      the lesson's demo app`;

/** `pnpm dev 02 [--solution]`: serve one exercise (or its solution) with file watching. */
export async function dev(args: readonly string[]): Promise<number> {
  const target = args.find((arg) => !arg.startsWith("-"));
  if (!target) {
    console.error(DEV_USAGE);
    return 2;
  }
  const packageName =
    target === "demo"
      ? demoPackageName()
      : findApp(args.includes("--solution") ? "solution" : "exercise", target).packageName;
  console.log(pc.dim(`Starting ${packageName} (Ctrl+C to stop)…`));
  return runTurbo(["run", "dev", `--filter=${packageName}`]);
}

function demoPackageName(): string {
  const manifest = JSON.parse(readFileSync(join(workspaceRoot, "lesson/demo/package.json"), "utf8")) as {
    name: string;
  };
  return manifest.name;
}
