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

/**
 * The command that runs turbo. Its npm package ships the native binary in a platform package (`@turbo/linux-64`…)
 * behind a Node launcher; calling the binary straight saves a Node start on every `pnpm test`. Where the platform
 * package is not found, the launcher (run with this Node, so it works the same everywhere) finds its own way.
 */
function turboCommand(): { file: string; args: string[] } {
  const fromRoot = createRequire(join(workspaceRoot, "package.json"));
  const launcher = fromRoot.resolve("turbo/bin/turbo");
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const arch = process.arch === "x64" ? "64" : process.arch;
  try {
    const binary = createRequire(launcher).resolve(
      `@turbo/${platform}-${arch}/bin/turbo${platform === "windows" ? ".exe" : ""}`,
    );
    return { file: binary, args: [] };
  } catch {
    return { file: process.execPath, args: [launcher] };
  }
}

export interface TurboOptions {
  /** Keep turbo's own output to show only if the run fails: a learner's scoreboard should stand alone. */
  readonly quiet?: boolean;
}

/** Runs `turbo …args` in the workspace root; resolves to its exit code. */
export function runTurbo(args: readonly string[], { quiet = false }: TurboOptions = {}): Promise<number> {
  const turbo = turboCommand();
  const child = spawn(turbo.file, [...turbo.args, ...args], {
    cwd: workspaceRoot,
    env: turboEnv(),
    stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
  });
  const output: Buffer[] = [];
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const exitCode = code ?? (signal ? 1 : 0);
      if (quiet && exitCode !== 0) process.stderr.write(Buffer.concat(output));
      resolve(exitCode);
    });
  });
}
