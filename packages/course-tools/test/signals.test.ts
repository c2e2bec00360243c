import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { workspaceRoot } from "../src/workspace.js";

interface Ended {
  readonly output: string;
  /** From the Ctrl+C to the end of the last process of the group. */
  readonly closingMs: number;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * Starts a command in a process group of its own, as a terminal runs it; once its output says it is ready, sends
 * SIGINT to the whole group, as Ctrl+C does; resolves when every process of the group has closed its output.
 */
function interruptWhenReady(
  command: string,
  args: readonly string[],
  ready: string,
  signal: NodeJS.Signals = "SIGINT",
): Promise<Ended> {
  const child = spawn(command, args, {
    cwd: workspaceRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // Port 0: any free port, so a course server already running does not matter.
    env: { ...process.env, PORT: "0", FORCE_COLOR: "0" },
  });
  let output = "";
  let interrupted = false;
  let interruptedAt = 0;
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    if (!interrupted && output.includes(ready)) {
      interrupted = true;
      interruptedAt = Date.now();
      process.kill(-child.pid!, signal);
    }
  };
  child.stdout.on("data", read);
  child.stderr.on("data", read);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) =>
      interrupted
        ? resolve({ output, code, signal, closingMs: Date.now() - interruptedAt })
        : reject(new Error(`ended before it was ready:\n${output}`)),
    );
  });
}

const COURSE = join(workspaceRoot, "packages", "course-tools", "bin", "course.js");
const GRADER = join(workspaceRoot, "packages", "grader", "bin", "cookie-grader.js");

// Each starts turbo, builds what is stale and grades or serves: sized for a loaded machine.
const LIMIT = 180_000;

describe("Ctrl+C", () => {
  it(
    "ends pnpm dev 01 quietly: the URL, and no failure from pnpm",
    async () => {
      const { output } = await interruptWhenReady("pnpm", ["dev", "01"], "Listening on http://localhost:");
      expect(output.match(/Listening on/g)).toHaveLength(1);
      expect(output).not.toMatch(/ELIFECYCLE|failed|Force killing|Tasks:|cache (hit|miss)/i);
    },
    LIMIT,
  );

  it(
    "ends pnpm watch quietly",
    async () => {
      const { output } = await interruptWhenReady("pnpm", ["watch", "01"], "Ctrl+C to stop.");
      expect(output).toContain("01-set-datetime-cookie");
      expect(output).not.toMatch(/ELIFECYCLE|Command failed/);
    },
    LIMIT,
  );

  it(
    "ends pnpm start quietly: the workbook's URL once, and exit 0",
    async () => {
      const { output } = await interruptWhenReady("pnpm", ["start"], "(Ctrl+C stops it)");
      expect(output.match(/http:\/\/localhost:\d+/g)).toHaveLength(1);
      expect(output).not.toMatch(/ELIFECYCLE|failed|Error/i);
      const direct = await interruptWhenReady(
        process.execPath,
        [join(workspaceRoot, "packages", "workbook", "bin", "workbook.js")],
        "(Ctrl+C stops it)",
      );
      expect([direct.code, direct.signal]).toEqual([0, null]);
      // Ctrl+C comes while the workbook grades every exercise for the first time (and ends esbuild's service, which
      // is in the group too): it must end anyway, in moments, not wait on a grade that never comes.
      expect(direct.closingMs).toBeLessThan(30_000);
    },
    LIMIT,
  );

  it(
    "ends cookie-grader watch and the workbook with exit 0 when the terminal closes (SIGHUP) or on SIGTERM, as on Ctrl+C",
    async () => {
      for (const signal of ["SIGHUP", "SIGTERM"] as const) {
        const watch = await interruptWhenReady(process.execPath, [GRADER, "watch", "01"], "Ctrl+C to stop.", signal);
        expect([watch.code, watch.signal], `watch, ${signal}`).toEqual([0, null]);
      }
      const workbook = await interruptWhenReady(
        process.execPath,
        [join(workspaceRoot, "packages", "workbook", "bin", "workbook.js")],
        "(Ctrl+C stops it)",
        "SIGHUP",
      );
      expect([workbook.code, workbook.signal]).toEqual([0, null]);
    },
    LIMIT,
  );

  it(
    "makes course dev and cookie-grader watch exit 0",
    async () => {
      const dev = await interruptWhenReady(process.execPath, [COURSE, "dev", "01"], "Listening on http://localhost:");
      expect([dev.code, dev.signal]).toEqual([0, null]);
      const watch = await interruptWhenReady(process.execPath, [GRADER, "watch", "01"], "Ctrl+C to stop.");
      expect([watch.code, watch.signal]).toEqual([0, null]);
    },
    LIMIT,
  );
});
