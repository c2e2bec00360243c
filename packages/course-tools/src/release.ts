import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import pc from "picocolors";
import { parseCommandArgs } from "./args.js";
import { UsageError } from "./errors.js";
import { pnpmCommand } from "./pnpm.js";
import { releaseThrough, writeEdition } from "./release/edition.js";
import { LOCKFILE, applyUpdate, hashesOf, readRecord, sha256, writeRecord, RECORD_FILE } from "./release/update.js";
import { checkStarters } from "./starters/sync.js";
import { findApp, workspaceRoot } from "./workspace.js";

const USAGE = `Usage: pnpm release:learner OUT --through NN        write a new learner edition with exercises 01…NN
       pnpm release:learner --update DIR --through NN   add exercises up to NN to an edition that exists
  Exercise N's starter holds exercise N-1's solution: release each exercise once the one before it is due.
  --no-lockfile   skip the lockfile (pnpm install --lockfile-only), for tests`;

/**
 * `pnpm release:learner OUT --through NN`: writes the repository a learner receives, with exercises 01…NN only.
 * `--update DIR --through NN` adds the exercises released since to an edition a learner already works in, never
 * touching their work (exercises/ they have, .course/).
 */
export async function releaseLearner(args: readonly string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    usage: USAGE,
    options: { through: { type: "string" }, update: { type: "string" }, "no-lockfile": { type: "boolean" } },
    maxPositionals: 1,
  });
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (values.through === undefined) {
    throw new UsageError(
      "say how far with --through NN (e.g. --through 01): exercise N's starter holds the answer to N-1.",
    );
  }
  const through = findApp("exercise", values.through).number;
  const lockfile = values["no-lockfile"] !== true;
  if (values.update !== undefined) {
    if (positionals.length > 0) throw new UsageError(`give either OUT or --update DIR, not both.`);
    return update(resolve(values.update), through, lockfile);
  }
  const [target] = positionals;
  if (!target) throw new UsageError("where to? e.g. pnpm release:learner ../cookie-course-learner --through 01");
  const out = resolve(target);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new UsageError(`${out} is not empty: give a new or empty folder, or --update ${target}.`);

  const release = releaseThrough(through);
  refuseChangedStarters(release.released.map((app) => app.slug));
  const files = await writeEdition(out, release);
  if (lockfile) pruneLockfile(out);
  writeRecord(out, through, {
    ...hashesOf(out, files),
    ...(lockfile ? { [LOCKFILE]: sha256(join(out, LOCKFILE)) } : {}),
  });
  console.log(
    pc.green(
      `Wrote the learner edition, exercises ${release.released.map((app) => app.number).join(", ")}, to ${out} (${files.length + 1} files).`,
    ),
  );
  if (release.unreleased.length > 0) {
    console.log(
      pc.dim(
        `Release ${release.unreleased[0]!.number} once ${through} is due: pnpm release:learner --update ${target} --through ${release.unreleased[0]!.number}`,
      ),
    );
  }
  console.log(pc.dim(`Try it: cd ${out} && pnpm install && pnpm test`));
  return 0;
}

/**
 * An edition copies exercises/ as it is in this checkout, and keeps that copy as the pristine starter of
 * `pnpm reset`: an exercise worked here (an instructor trying it out) or a solution changed without `pnpm starters`
 * would go out to every learner. Refuses, naming the files, unless each released starter is what its solution
 * generates.
 */
export function refuseChangedStarters(slugs: readonly string[], root: string = workspaceRoot): void {
  const problems = checkStarters(root).filter((problem) => slugs.includes(problem.slug));
  if (problems.length === 0) return;
  const files = problems.map((problem) => `exercises/${problem.slug}/${problem.file} (${problem.kind})`).join(", ");
  throw new UsageError(
    `not releasing: ${files}: not what the solution generates, and learners would get it as it is here. ` +
      `Keep your work elsewhere (git stash), then run pnpm starters.`,
  );
}

async function update(edition: string, through: string, lockfile: boolean): Promise<number> {
  const record = existsSync(edition) ? readRecord(edition) : undefined;
  if (!record)
    throw new UsageError(
      `${edition} has no ${RECORD_FILE}: it is not a learner edition written by pnpm release:learner.`,
    );
  if (through < record.through)
    throw new UsageError(
      `${edition} already holds exercises through ${record.through}: an update never takes an exercise back.`,
    );

  const staging = mkdtempSync(join(tmpdir(), "cookie-course-edition-"));
  try {
    const release = releaseThrough(through);
    refuseChangedStarters(release.released.map((app) => app.slug));
    const files = await writeEdition(staging, release);
    const outcome = applyUpdate(staging, edition, record);
    if (lockfile) pruneLockfile(edition);
    writeRecord(edition, through, {
      ...hashesOf(staging, files),
      ...(lockfile ? { [LOCKFILE]: sha256(join(edition, LOCKFILE)) } : {}),
    });

    const newExercises = [
      ...new Set(outcome.added.filter((file) => file.startsWith("exercises/")).map((file) => file.split("/")[1]!)),
    ];
    console.log(pc.green(`Updated ${edition} through exercise ${through}.`));
    console.log(`  new exercises: ${newExercises.length > 0 ? newExercises.join(", ") : "none"}`);
    console.log(
      `  course files added ${outcome.added.length - outcome.added.filter((file) => file.startsWith("exercises/")).length}, updated ${outcome.updated.length}, removed ${outcome.removed.length}`,
    );
    for (const file of outcome.kept) console.log(pc.yellow(`  kept your version of ${file} (the course's differs)`));
    console.log(pc.dim(`Then: cd ${edition} && pnpm install && pnpm test`));
    return 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The course's lockfile, without the packages the edition leaves out (pnpm resolves nothing new). */
function pruneLockfile(out: string): void {
  const [command, args] = pnpmCommand("install", "--lockfile-only", "--ignore-scripts");
  // pnpm's own report (scope, supply-chain policy, "Done in") only when it fails: the release says what it wrote.
  const result = spawnSync(command, args, {
    cwd: out,
    stdio: ["ignore", "pipe", "pipe"],
    encoding: "utf8",
    shell: process.platform === "win32" && command === "pnpm",
  });
  if (result.status !== 0) {
    throw new Error(
      `pnpm install --lockfile-only failed in ${out}:\n${`${result.stdout ?? ""}${result.stderr ?? ""}`.trim()}`,
    );
  }
}
