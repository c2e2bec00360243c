import { randomBytes, randomInt } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkGroupsFor } from "./checks/groups.js";
import { notGraded, runChecks } from "./harness/check.js";
import { describeEnd, sentence } from "./harness/end-cause.js";
import { AppSession, START_LIMIT_MS } from "./harness/session.js";
import { SuiteTamperedError, manifestDifferences } from "./manifest.js";
import { exerciseResult, type ExerciseResult } from "./results.js";
import { AppProcess, type EndCause } from "./sandbox/app-process.js";
import { confinementLayers, type ConfinedProgram, type ConfinementLayers } from "./sandbox/confinement.js";
import { writeHostBundle } from "./sandbox/host-bundle.js";
import { appPackages } from "./sandbox/packages.js";
import { StagingProblem, SyntaxProblem, collectSources, prepareStaging, writeStaging } from "./sandbox/staging.js";
import { DEFAULT_LIMITS, type GradeTarget, type GradingLimits } from "./shared.js";
import { workspaceRoot } from "./workspace.js";

/** The grader package's folder. */
export const graderRoot = fileURLToPath(new URL("..", import.meta.url));

/** How a grading run may grade. */
export interface GradingOptions {
  readonly limits?: Partial<GradingLimits>;
  /** Use bubblewrap where it works (the default); false runs under the permission model alone. */
  readonly bubblewrap?: boolean;
}

export interface GradingRun extends GradingOptions {
  readonly targets: readonly GradeTarget[];
  /** Exercise slugs: what each target is graded on, unless it names its own. */
  readonly exercises: readonly string[];
  /** Called as each target finishes an exercise (for progress in a batch). */
  readonly onExerciseDone?: (target: string, exercise: string) => void;
}

/** Every target's grade for every exercise, keyed by target id, in the order asked for. */
export type GradingResults = Map<string, ExerciseResult[]>;

/** What grading found out besides the grades: the confinement the apps ran under. */
export interface GradingOutcome {
  readonly results: GradingResults;
  readonly confinement: ConfinementLayers;
}

/**
 * Grades exercises of one or more targets. Each exercise of each target runs in an app process of its own,
 * confined; a few run at once. Learner code never runs in this process: a broken, hostile or hanging app costs its
 * own exercise only, and the checks read nothing but its answers.
 */
export async function runGrading(run: GradingRun): Promise<GradingResults> {
  return (await runGradingWithDetails(run)).results;
}

/** {@link runGrading}, with the confinement used (for the report's environment). */
export async function runGradingWithDetails({
  targets,
  exercises,
  onExerciseDone,
  ...options
}: GradingRun): Promise<GradingOutcome> {
  const grading = await Grading.start(options);
  const results: GradingResults = new Map(targets.map((target) => [target.id, []]));
  try {
    const jobs = targets.flatMap((target) =>
      (target.exercises ?? exercises).map((exercise, index) => ({ target, exercise, index })),
    );
    let next = 0;
    // Apps wait on the network more than they compute: a few more at once than there are cores keeps them busy.
    const workers = Array.from({ length: Math.min(jobs.length, availableParallelism() + 1) }, async () => {
      while (next < jobs.length) {
        const { target, exercise, index } = jobs[next++]!;
        // The app process starts (and loads its packages) while the learner's files are transpiled.
        results.get(target.id)![index] = await grading.grade(
          target,
          exercise,
          grading.prepare(exercise, { spare: true }),
        );
        onExerciseDone?.(target.id, exercise);
      }
    });
    await Promise.all(workers);
  } finally {
    await grading.close();
  }
  return { results, confinement: grading.layers };
}

/**
 * The grade of an exercise whose grading never ran (its process failed before writing a report): every check
 * failed with the cause, so the exercise keeps its full maximum.
 */
export async function ungradedResult(exercise: string, error: string): Promise<ExerciseResult> {
  const groups = await checkGroupsFor(exercise);
  return exerciseResult(exercise, groups ? notGraded(exercise, groups, error) : [], 0, { error, reason: "not graded" });
}

/** A gradebook's few words for an app the grader had to end. */
const END_REASONS: Partial<Record<EndCause["kind"], string>> = {
  unresponsive: "timed out",
  memory: "memory limit",
  "never-started": "could not start",
};

/**
 * A COOKIE_SECRET as a deployment makes one, the way exercise 04's README shows (`crypto.randomBytes(32)` as hex)
 * or in the other forms it allows (more bytes, base64): drawn anew for each app, its form drawn too, so that an app
 * cannot use the secret only when it looks like the grader's. (The grader's secret was once always 43 characters of
 * base64url: an app could sign with it for the grader alone.)
 */
export function drawSecret(): string {
  const form = pick([
    { bytes: 32, encoding: "hex" },
    { bytes: 32, encoding: "hex" },
    { bytes: 48, encoding: "hex" },
    { bytes: 64, encoding: "hex" },
    { bytes: 32, encoding: "base64" },
    { bytes: 48, encoding: "base64" },
  ] as const);
  return randomBytes(form.bytes).toString(form.encoding);
}

/**
 * Real time zones whose offset from UTC is not zero at any time of year, on both sides of it, whole and not (India's
 * +05:30, Nepal's +05:45, Newfoundland's −03:30), with and without summer time.
 */
const TIME_ZONES = [
  "America/Los_Angeles",
  "America/New_York",
  "America/Sao_Paulo",
  "America/St_Johns",
  "Pacific/Honolulu",
  "Europe/Berlin",
  "Europe/Helsinki",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Tokyo",
  "Australia/Adelaide",
  "Pacific/Auckland",
] as const;

/**
 * A time zone for an app, drawn anew for each app: never UTC, and never one that reads a time as this grader's own
 * zone does (a zone-less time written in it would then read right here).
 */
export function drawTimeZone(): string {
  const ours = [0, 6].map((month) => offsetMinutes(Intl.DateTimeFormat().resolvedOptions().timeZone, month));
  const apart = TIME_ZONES.filter((zone) => [0, 6].every((month, at) => offsetMinutes(zone, month) !== ours[at]));
  return pick(apart.length > 0 ? apart : TIME_ZONES);
}

/** A zone's offset from UTC in minutes, in the given month of this year. */
function offsetMinutes(timeZone: string, month: number): number {
  const moment = new Date(Date.UTC(new Date().getUTCFullYear(), month, 15, 12));
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
  })
    .formatToParts(moment)
    .reduce<Record<string, number>>((all, part) => ({ ...all, [part.type]: Number(part.value) }), {});
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
  return Math.round((local - moment.getTime()) / 60_000);
}

function pick<T>(choices: readonly T[]): T {
  return choices[randomInt(choices.length)]!;
}

/** A staging folder, ready for an exercise's files, and maybe an app process already waiting on it. */
export interface Slot {
  readonly exercise: string;
  readonly program: ConfinedProgram;
  readonly spare?: Promise<AppProcess>;
}

/**
 * One grading run's shared parts: the suite (checked against its manifest), the app process's program, the
 * confinement, and a folder for the apps' staging, removed at the end.
 */
export class Grading {
  readonly layers: ConfinementLayers;
  readonly limits: GradingLimits;
  readonly #runDir: string;
  readonly #hostBundle: string;
  #slots = 0;
  readonly #removals: Promise<void>[] = [];

  private constructor(layers: ConfinementLayers, limits: GradingLimits, runDir: string) {
    this.layers = layers;
    this.limits = limits;
    this.#runDir = runDir;
    this.#hostBundle = join(runDir, "host.mjs");
  }

  static async start({ limits: given = {}, bubblewrap = true }: GradingOptions): Promise<Grading> {
    const tampered = manifestDifferences(graderRoot);
    if (tampered.length > 0) throw new SuiteTamperedError(tampered);
    const limits: GradingLimits = { ...DEFAULT_LIMITS, ...given };
    const grading = new Grading(
      confinementLayers({ bubblewrap, memoryLimitMb: limits.memoryMb }),
      limits,
      mkdtempSync(join(tmpdir(), "cookie-grader-")),
    );
    await writeHostBundle(grading.#hostBundle);
    return grading;
  }

  /** A fresh staging folder for an exercise; with `spare`, an app process starts on it now, to wait for the files. */
  prepare(exercise: string, { spare = false }: { spare?: boolean } = {}): Slot {
    const root = join(this.#runDir, "apps", String(++this.#slots));
    mkdirSync(root, { recursive: true });
    const packages = appPackages(join(workspaceRoot, "exercises", exercise));
    prepareStaging(root, packages);
    // Sockets go in a folder of their own, outside the run's folder and named at random: an app knows its own
    // staging path, and must not be able to work out a classmate's socket from it.
    const socketDir = join(tmpdir(), `cookie-grader-sock-${randomBytes(12).toString("hex")}`);
    mkdirSync(socketDir, { mode: 0o700 });
    const secrets = { cookieSecret: drawSecret() };
    const program = {
      root,
      socketDir,
      hostBundle: this.#hostBundle,
      readable: packages.readable,
      linkFolders: packages.linkFolders,
      secrets,
      timeZone: drawTimeZone(),
    };
    if (!spare) return { exercise, program };
    const started = AppProcess.start(this.layers, program, START_LIMIT_MS);
    // A spare that fails to start is found out when it is used.
    started.catch(() => {});
    return { exercise, program, spare: started };
  }

  /** One exercise of one target, in a slot: staged, run in its own confined process, checked, and ended. */
  async grade(target: GradeTarget, exercise: string, slot: Slot): Promise<ExerciseResult> {
    const started = performance.now();
    const { root } = slot.program;
    const groups = await checkGroupsFor(exercise);
    const sources = collectSources(join(target.dir, exercise));
    let unavailable =
      sources.missing === undefined ? undefined : `${sources.missing}: each exercise's app lives in its src/app.ts.`;
    let reason = sources.missing === undefined ? undefined : "missing";
    if (unavailable === undefined) {
      try {
        await writeStaging(root, sources);
        if (!existsSync(join(root, "src", "app.js"))) {
          const linked = sources.linked?.some((file) => /^app\.[cm]?[jt]s$/.test(file)) === true;
          unavailable = linked
            ? "src/app.ts is a symbolic link, which is never followed: keep the app itself in src/app.ts."
            : "src/app.ts is missing: each exercise's app lives in src/app.ts. `pnpm reset NN` puts the starter back.";
          reason = "missing";
        }
      } catch (error) {
        if (!(error instanceof SyntaxProblem || error instanceof StagingProblem)) throw error;
        unavailable = `src/app.ts could not be loaded: ${error.message}`;
        reason =
          error instanceof StagingProblem
            ? "could not be staged"
            : error.at === undefined
              ? "syntax error"
              : `syntax error at ${error.at}`;
      }
    }
    const session = new AppSession(this.layers, slot.program, this.limits, { spare: slot.spare, unavailable });
    try {
      if (!groups)
        return exerciseResult(exercise, [], 0, {
          error: `This grader has no checks for ${exercise}.`,
          reason: "unknown exercise",
        });
      const checks = await runChecks(exercise, groups, session);
      // An app the grader had to end (a loop, a stop, too much memory) is the exercise's error, named.
      const end = session
        .endCauses()
        .find((cause) => cause.kind === "unresponsive" || cause.kind === "memory" || cause.kind === "never-started");
      const error =
        sources.missing !== undefined
          ? `${sources.missing}: nothing to grade.`
          : end
            ? sentence(describeEnd(end, this.limits))
            : undefined;
      reason ??= end === undefined ? undefined : END_REASONS[end.kind];
      const ignored = sources.ignored.length > 0 ? { ignored: sources.ignored } : {};
      const outcome = { ...(error === undefined ? {} : { error }), ...(reason === undefined ? {} : { reason }) };
      return { ...exerciseResult(exercise, checks, Math.round(performance.now() - started), outcome), ...ignored };
    } finally {
      await session.close();
      this.#remove(slot);
    }
  }

  /** Ends a slot's spare process, if any, and removes its folders: a slot that will not be graded. */
  async discard(slot: Slot): Promise<void> {
    await slot.spare?.then(
      (process) => process.dispose(),
      () => {},
    );
    this.#remove(slot);
  }

  /** Ends the run: its folders removed, once every removal under way has finished. */
  async close(): Promise<void> {
    await Promise.all(this.#removals);
    rmSync(this.#runDir, { recursive: true, force: true });
  }

  /**
   * Removes a slot's folders off the event loop (in a batch, removing thousands of files synchronously held up
   * the other apps' checks), once its app process is gone.
   */
  #remove(slot: Slot): void {
    const options = { recursive: true, force: true } as const;
    this.#removals.push(
      Promise.all([rm(slot.program.root, options), rm(slot.program.socketDir, options)]).then(() => {}),
    );
  }
}
