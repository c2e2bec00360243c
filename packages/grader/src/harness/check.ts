import { join } from "node:path";
import { beforeAll, describe, it, vi } from "vitest";
import { DEFAULT_LIMITS, LIMITS_ENV, TARGETS_ENV, type CheckMeta, type GradeTarget, type GradingLimits } from "../shared.js";
import { NoResponseError, closeServers, setExchangeScope } from "./exchange.js";
import { captureOutput, closeAppServers } from "./isolation.js";
import { CheckFailure } from "./failure.js";
import { AppLoader, LoadError, type App } from "./target.js";

/** What a check can do: build the learner's app, and control the clock. */
export interface CheckContext {
  /** A new app from the learner's `createApp()`. */
  app(): Promise<App>;
  /** A new app built with NODE_ENV=production, from a freshly evaluated module (options read at import count). */
  productionApp(): Promise<App>;
  /** Freezes `Date` (only Date: supertest keeps its timers) at this moment; call again to move it. */
  setNow(moment: Date): void;
}

export interface Check {
  /** Unique across all exercises, prefixed with the exercise number: `01.sets-cookie`. */
  readonly id: string;
  /** A sentence that says what a correct app does. */
  readonly name: string;
  readonly points: number;
  /** Checks that must pass first; when one has not, this check is skipped with the reason. */
  readonly requires?: readonly string[];
  /**
   * "hidden" checks live in src/checks/hidden/ and are left out of the learner edition (as Gradescope's hidden
   * tests are); they may require visible checks, never the other way round.
   */
  readonly visibility?: "visible" | "hidden";
  /** Progressive hints for a learner who is stuck, from a nudge to nearly the answer (`pnpm hint NN`). */
  readonly hints?: readonly string[];
  run(context: CheckContext): Promise<void>;
}

export interface CheckGroup {
  /** The exercise these checks come from: `01-set-datetime-cookie`. */
  readonly exercise: string;
  readonly checks: readonly Check[];
}

const LOADS = "app-loads";

/**
 * Registers the grading of one exercise with vitest: for each target, the app-loads check, then every group's
 * checks in order. Called once by each spec file.
 */
export function gradeExercise(slug: string, groups: readonly CheckGroup[]): void {
  const names = new Map(groups.flatMap((group) => group.checks.map((check) => [check.id, check.name] as const)));
  for (const target of readTargets()) {
    describe(target.id, () => {
      // A worker may be reused (watch mode): the learner's code is always imported afresh, never from an earlier run.
      beforeAll(() => vi.resetModules());
      const loader = new AppLoader(join(target.dir, slug));
      const outcomes = new Map<string, "passed" | "failed" | "skipped">();
      const loads: Check = {
        id: LOADS,
        name: "src/app.ts loads, and createApp() returns an Express app",
        points: 1,
        run: async () => void (await loader.create()),
      };
      names.set(LOADS, loads.name);

      let order = 0;
      let startedAt: number | undefined;
      const register = (exercise: string, check: Check) => {
        const place = order++;
        it(check.name, async ({ task, skip }) => {
          const meta: CheckMeta = {
            target: target.id,
            exercise,
            checkId: check.id,
            points: check.points,
            order: place,
            visibility: check.visibility ?? "visible",
            ...(check.hints ? { hints: check.hints } : {}),
          };
          task.meta.check = meta;
          const requires = check.id === LOADS ? [] : [LOADS, ...(check.requires ?? [])];
          // performance.now, not Date: Date is faked in many checks.
          startedAt ??= performance.now();
          if (performance.now() - startedAt > LIMITS.exerciseMs) {
            outcomes.set(check.id, "skipped");
            meta.message = `Skipped: this exercise's time limit (${LIMITS.exerciseMs / 1000} s) ran out. Is the app very slow to answer?`;
            skip(meta.message);
            return;
          }
          const blocker = requires.find((id) => outcomes.get(id) !== "passed");
          if (blocker !== undefined) {
            outcomes.set(check.id, "skipped");
            meta.message = `Skipped until this passes: ${names.get(blocker) ?? blocker}`;
            skip(meta.message);
            return;
          }
          outcomes.set(check.id, "failed");
          setExchangeScope(`${target.id}|${slug}`);
          const { context, usedFreshModule } = contextFor(loader);
          const exits = trapProcessExit();
          const output = captureOutput();
          try {
            await check.run(context);
            // Even after a correct answer: a server that ends its own process is gone for the next visitor.
            if (exits.calls.length > 0) throw new ProcessExitError(exits.calls);
            outcomes.set(check.id, "passed");
          } catch (error) {
            // A process.exit is the cause of whatever else went wrong (a 500, a missing cookie): name it.
            meta.message = teachingMessage(exits.calls.length > 0 ? new ProcessExitError(exits.calls) : error);
            // The reporter shows meta.message; vitest's own output gets its first line, never a grader stack.
            throw new Error(meta.message.split("\n")[0], { cause: error });
          } finally {
            output.restore();
            const printed = output.text();
            if (printed !== undefined) meta.output = printed;
            exits.restore();
            closeAppServers();
            await closeServers();
            vi.useRealTimers();
            vi.unstubAllEnvs();
            // Later checks must not get a module evaluated under production.
            if (usedFreshModule()) vi.resetModules();
          }
        });
      };

      register(slug, loads);
      for (const group of groups) for (const check of group.checks) register(group.exercise, check);
    });
  }
}

/** A check's context, and what to undo after it. */
function contextFor(loader: AppLoader): { context: CheckContext; usedFreshModule: () => boolean } {
  let fresh = false;
  const context: CheckContext = {
    app: () => loader.create(),
    productionApp: () => {
      // Production stays on for the whole check: apps may read NODE_ENV when they handle a request.
      vi.stubEnv("NODE_ENV", "production");
      fresh = true;
      return loader.create({ fresh: true });
    },
    setNow: (moment) => {
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(moment);
    },
  };
  return { context, usedFreshModule: () => fresh };
}

/** The message a learner reads for an error: ours as written, theirs named as theirs. */
function teachingMessage(error: unknown): string {
  if (error instanceof ProcessExitError) return error.message;
  if (error instanceof CheckFailure || error instanceof LoadError || error instanceof NoResponseError) {
    return error instanceof NoResponseError
      ? `${error.message}\nHint:     Every path through a handler must end the response (res.send, res.end…). Is an await never settled, or a next() missing?`
      : error.message;
  }
  const text = error instanceof Error ? error.message : String(error);
  const exit = /process\.exit unexpectedly called with "?([^"]*)"?/.exec(text);
  if (exit) return `Your code called process.exit(${exit[1]}): an app must never end the process it runs in.`;
  return `Your app threw while this check ran: ${text.split("\n")[0]}`;
}

class ProcessExitError extends Error {
  override name = "ProcessExitError";

  constructor(calls: readonly unknown[]) {
    super(
      `Your code called process.exit(${String(calls[0] ?? "")}): a server must never end the process it runs in (here the grader; in production, the site for every visitor).\nHint:     Remove the call; to report a problem, answer with an error status (res.status(500).send(…)).`,
    );
  }
}

/**
 * Replaces process.exit for the length of one check, so a call is recorded (and its caller stopped, as the real
 * exit would stop it) even when the app swallows the error, as Express does after a response was sent.
 */
function trapProcessExit(): { calls: unknown[]; restore(): void } {
  const original = process.exit;
  const calls: unknown[] = [];
  process.exit = ((code?: unknown) => {
    calls.push(code ?? 0);
    throw new Error(`process.exit(${String(code ?? 0)}) called by the app under test`);
  }) as typeof process.exit;
  return { calls, restore: () => void (process.exit = original) };
}

const LIMITS: GradingLimits = { ...DEFAULT_LIMITS, ...(JSON.parse(process.env[LIMITS_ENV] ?? "{}") as Partial<GradingLimits>) };

function readTargets(): GradeTarget[] {
  const raw = process.env[TARGETS_ENV];
  if (!raw) throw new Error(`${TARGETS_ENV} is not set: run the grader through its CLI (pnpm test).`);
  return JSON.parse(raw) as GradeTarget[];
}
