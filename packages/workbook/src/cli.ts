import { commandLabel, parseCommandArgs } from "@cookie-course/grader/args";
import { CommandError } from "@cookie-course/grader/errors";
import { workspaceRoot } from "@cookie-course/grader/workspace";
import pc from "picocolors";
import { startWorkbook } from "./workbook.js";

const USAGE = `Usage: pnpm start
  Serves the workbook on http://localhost:4000 (set PORT for another port): the lesson, each exercise with its live
  grade and hints, and your app with the cookies your browser holds for it. Ctrl+C stops it.`;

const DEFAULT_PORT = 4000;

/** How long closing may take after Ctrl+C before the workbook just ends. */
const CLOSE_MS = 2_000;

async function main(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { usage: USAGE, options: {}, maxPositionals: 0 });
  if (!parsed) return 0;
  const port = readPort(process.env.PORT);
  if (port === undefined) return 2;
  let workbook;
  try {
    workbook = await startWorkbook({ root: workspaceRoot, port });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      console.error(
        pc.red(`Port ${port} is taken: is the workbook running already? Stop it, or set PORT to another number.`),
      );
      return 1;
    }
    throw error;
  }
  // Ctrl+C ends the workbook, its grader and the app quietly: stopping a server is not a failure. Listened for
  // before the URL is printed, so a Ctrl+C the moment it shows is caught too.
  // A closed terminal (SIGHUP) and a kill (SIGTERM) end it the same way, so nothing is left behind.
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, resolve);
  });
  console.log(`The workbook: ${pc.bold(workbook.url)}  (Ctrl+C stops it)`);
  await stopped;
  // Ctrl+C reaches the whole process group, esbuild's service too: a grade under way when it came may never end.
  // The workbook closes what it can in a moment, then ends; the grader's app processes end with it (on exit).
  await Promise.race([workbook.close(), new Promise((resolve) => setTimeout(resolve, CLOSE_MS).unref())]);
  process.exit(0);
}

function readPort(value: string | undefined): number | undefined {
  const port = Number(value ?? DEFAULT_PORT);
  if (value !== undefined && (value.trim() === "" || !Number.isInteger(port) || port < 0 || port > 65_535)) {
    console.error(pc.red(`PORT must be a whole number from 0 to 65535, not "${value}".`));
    return undefined;
  }
  return port;
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // Our own errors are messages for a person, one line naming the command typed; anything else is a bug.
  if (!(error instanceof CommandError)) throw error;
  console.error(pc.red(`${commandLabel("cookie-workbook", "")}: ${error.message}`));
  process.exitCode = 2;
}
