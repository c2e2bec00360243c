import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { runTurbo } from "./turbo.js";
import { findApp, workspaceRoot } from "./workspace.js";

const USAGE = `Usage: pnpm dev <NN> [--solution]   e.g. pnpm dev 01, pnpm dev 02 --solution
       pnpm dev demo                      the lesson's demo app
  Serves the app on http://localhost:3000 (set PORT for another port) and restarts it on every save. Ctrl+C stops it.`;

/**
 * `pnpm dev 02 [--solution]`: serve one exercise (or its solution, or the lesson's demo) with file watching. The
 * packages it imports are built first, quietly (turbo's cache makes that instant); then the app's own server runs
 * under `tsx watch`, so the terminal shows the app's URL and what the app prints, nothing else. Ctrl+C ends it with
 * exit 0: stopping a server is not a failure, and pnpm would say it was.
 */
export async function dev(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE,
    options: { solution: { type: "boolean" } },
    maxPositionals: 1,
  });
  if (!parsed) return 0;
  const [target] = parsed.positionals;
  if (!target) throw new UsageError("which exercise? e.g. pnpm dev 01, or pnpm dev demo");
  const app = target === "demo" ? demoApp() : findApp(parsed.values.solution ? "solution" : "exercise", target);

  const built = await runTurbo(["run", "build", `--filter=${app.packageName}^...`, "--output-logs=errors-only"], {
    quiet: true,
  });
  if (built !== 0) {
    console.error(pc.red(`The packages ${app.packageName} imports did not build (turbo's output is above).`));
    return 1;
  }
  return serve(app.dir);
}

/** Runs `tsx watch src/server.ts` in the app folder until it ends, or until Ctrl+C ends it (then 0). */
function serve(appDir: string): Promise<number> {
  const tsxCli = join(
    dirname(createRequire(join(appDir, "package.json")).resolve("tsx/package.json")),
    "dist",
    "cli.mjs",
  );
  const server = spawn(process.execPath, [tsxCli, "watch", "src/server.ts"], { cwd: appDir, stdio: "inherit" });
  let stopping = false;
  // Ctrl+C in a terminal reaches the whole process group, tsx and the server too: passing it on would make tsx
  // "force kill" the server. A signal sent to this process alone is passed on when the server is still up a moment
  // later. Either way the server ends, and then so does this command, with exit 0.
  const stop = () => {
    stopping = true;
    setTimeout(() => {
      if (server.exitCode === null && server.signalCode === null) server.kill("SIGTERM");
    }, 1000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  return new Promise((resolve, reject) => {
    server.on("error", reject);
    server.on("exit", (code) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(stopping ? 0 : (code ?? 1));
    });
  });
}

function demoApp(): { packageName: string; dir: string } {
  const dir = join(workspaceRoot, "lesson", "demo");
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name: string };
  return { packageName: manifest.name, dir };
}
