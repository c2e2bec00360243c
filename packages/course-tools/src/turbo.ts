import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { workspaceRoot } from "./workspace.js";

/**
 * turbo's environment for every run the course starts: nothing may phone home from a learner's machine, and an
 * update notice is noise in a learner's terminal.
 */
export function turboEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, TURBO_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1", TURBO_NO_UPDATE_NOTIFIER: "1" };
}

/** turbo's launcher is a Node script: running it with this Node works the same on Windows, macOS and Linux. */
function turboLauncher(): string {
  return createRequire(join(workspaceRoot, "package.json")).resolve("turbo/bin/turbo");
}

/** Runs `turbo …args` in the workspace root with the terminal attached; resolves to its exit code. */
export function runTurbo(args: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [turboLauncher(), ...args], {
    cwd: workspaceRoot,
    env: turboEnv(),
    stdio: "inherit",
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
