import { cpSync, existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import pc from "picocolors";
import { globSync } from "tinyglobby";
import { parseCommandArgs } from "./args.js";
import { IGNORED, STARTER_SNAPSHOTS } from "./app-files.js";
import { confirm, type Terminal } from "./confirm.js";
import { UsageError } from "./errors.js";
import { findApp, workspaceRoot } from "./workspace.js";

const USAGE = `Usage: pnpm reset <NN> [--yes]   e.g. pnpm reset 02
  Puts exercise NN back to its starter, after a confirmation; your work is kept in .course/backups/.
  --yes   confirm without asking (for scripts)`;

/** `pnpm reset 02`: puts the starter back, after a confirmation, keeping the learner's work in .course/backups. */
export async function reset(args: readonly string[], root = workspaceRoot, terminal?: Terminal): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE,
    options: { yes: { type: "boolean", short: "y" } },
    maxPositionals: 1,
  });
  if (!parsed) return 0;
  const [number] = parsed.positionals;
  if (!number) throw new UsageError("which exercise? e.g. pnpm reset 02");
  const app = findApp("exercise", number, root);
  if (
    !(await confirm(
      parsed.values.yes,
      `Reset ${app.slug} to its starter? Your work is kept in .course/backups/.`,
      terminal,
    ))
  ) {
    console.log(`${app.slug} is as you left it.`);
    return 0;
  }
  const backup = join(root, ".course", "backups", `${app.slug}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  const generated = new Set(["node_modules", "reports", ".turbo"]);
  cpSync(app.dir, backup, {
    recursive: true,
    filter: (path) =>
      !relative(app.dir, path)
        .split(/[\\/]/)
        .some((part) => generated.has(part)),
  });
  const snapshot = join(root, STARTER_SNAPSHOTS, app.slug);
  if (existsSync(join(root, "solutions", app.slug))) {
    // The course generates the starter from its solution; a computed path, since the learner edition has neither.
    const generator = "./starters/sync.js";
    const { restoreStarterFromSolution } = (await import(generator)) as {
      restoreStarterFromSolution(root: string, slug: string): void;
    };
    restoreStarterFromSolution(root, app.slug);
  } else if (existsSync(snapshot)) {
    for (const file of globSync("**/*", { cwd: app.dir, dot: true, ignore: IGNORED })) rmSync(join(app.dir, file));
    cpSync(snapshot, app.dir, { recursive: true });
  } else {
    throw new UsageError(`no starter to restore ${app.slug} from (no solutions/ and no ${STARTER_SNAPSHOTS}/ folder).`);
  }
  console.log(pc.green(`${app.slug} is back to its starter.`) + pc.dim(` Your work: ${relative(root, backup)}`));
  return 0;
}
