import { randomInt } from "node:crypto";
import { AppAnswerError, AppEndedError, type EndCause } from "../sandbox/app-process.js";
import type { CheckResult, FailureCause } from "../results.js";
import { describeEnd, learnerLine, learnerText } from "./end-cause.js";
import { NoResponseError } from "./exchange.js";
import { CheckFailure } from "./failure.js";
import type { AppSecrets } from "../sandbox/confinement.js";
import type { GradingLimits } from "../shared.js";
import { AppUnavailableError, type App, type AppSession, type StartWithoutSecret } from "./session.js";

/** What a check can do: build the learner's app, and control the app's clock. */
export interface CheckContext {
  /** A new app from the learner's `createApp()`. */
  app(): Promise<App>;
  /** A new app built with NODE_ENV=production, from a freshly evaluated module (options read at import count). */
  productionApp(): Promise<App>;
  /**
   * Asks for the app in production without COOKIE_SECRET, from a third copy evaluated afresh: what a server started
   * without its secret would do. Whether it started is judged from outside its process (see
   * {@link AppSession.startWithoutSecret}); what its process said comes along for the message only.
   */
  startWithoutSecret(secret?: "unset" | "empty"): Promise<StartWithoutSecret>;
  /** The secrets the app was given (COOKIE_SECRET), to sign and verify as it does. */
  readonly secrets: AppSecrets;
  /** Freezes the app's `Date` (only Date) at this moment for the requests that follow; call again to move it. */
  setNow(moment: Date): void;
}

export interface Check {
  /** Unique across all exercises, prefixed with the exercise number: `01.sets-cookie`. */
  readonly id: string;
  /** A sentence that says what a correct app does. */
  readonly name: string;
  /** What it earns in its own exercise (in a later exercise it runs again as a gate, for none). */
  readonly points: number;
  /**
   * Checks that must pass first; when one has not, this check is skipped with the reason, and it runs after them.
   * A check that an app without the feature would pass (a page answers 200, nothing unsafe is shown) requires the
   * feature's own check: no point is earned before the exercise has begun.
   */
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
  /**
   * How this exercise changes what the earlier exercises' checks assume (the visit cookie becomes signed, say):
   * from this exercise on, every check, an earlier one's too, runs inside it. Declared once by the exercise that
   * makes the change, so that the earlier checks keep applying, never dropped one by one.
   */
  readonly adapts?: CheckAdapter;
  /**
   * For a learner whose earlier exercise's check now fails in the terms {@link adapts} changed: what the change asks
   * of the app, and hints in this exercise's terms (the earlier check's own hints speak of the old ones). Shown in
   * this exercise, where making the change is the learner's task, and in the later ones, where an app may still
   * work the old way.
   */
  readonly adaptsHelp?: AdaptsHelp;
}

export interface AdaptsHelp {
  /**
   * The earlier check that tells whether the change is made: when it fails in the new terms and holds in the old
   * ones, the app works as it did before this exercise (it reads the cookie unsigned). Only this check is told so:
   * another may hold in the old terms trivially (no XSS where no cookie is read) and still be a regression.
   */
  readonly telltale: string;
  /** A sentence: what the app must now do for the earlier checks to hold (read the visit cookie signed, say). */
  readonly change: string;
  /** Progressive hints for it, from a nudge to nearly the answer, as a check's. */
  readonly hints: readonly string[];
}

/** Runs a check's work in the terms of a later exercise (see {@link CheckGroup.adapts}). */
export type CheckAdapter = <T>(secrets: AppSecrets, work: () => Promise<T>) => Promise<T>;

const LOADS = "app-loads";

/** The first check of every exercise: without an app, nothing else can be graded. A gate: it earns nothing. */
const loadsCheck: Check = {
  id: LOADS,
  name: "src/app.ts loads, and createApp() returns an Express app",
  points: 0,
  run: async ({ app }) => void (await app()),
};

/** A check in the order an exercise runs it, with where it comes from. */
interface PlannedCheck {
  readonly check: Check;
  /** The exercise the check comes from. */
  readonly from: string;
  /** It earns nothing here: app-loads, or an earlier exercise's check run again. */
  readonly gate: boolean;
}

/**
 * The checks of an exercise in the order they are listed: app-loads, then each group's checks in their order, except
 * that a check comes after the checks it requires (a check that a starter passes trivially requires the feature's
 * own check, which may come later in its group). Results are reported in this order.
 */
function plan(
  exercise: string,
  groups: readonly CheckGroup[],
  pick: (ready: number) => number = () => 0,
): PlannedCheck[] {
  const listed: PlannedCheck[] = [
    { check: loadsCheck, from: exercise, gate: true },
    ...groups.flatMap((group) =>
      group.checks.map((check) => ({ check, from: group.exercise, gate: group.exercise !== exercise })),
    ),
  ];
  const known = new Set(listed.map(({ check }) => check.id));
  const placed = new Set<string>();
  const ordered: PlannedCheck[] = [];
  while (listed.length > 0) {
    const ready = listed.flatMap(({ check }, index) =>
      (check.requires ?? []).every((id) => placed.has(id) || !known.has(id)) ? [index] : [],
    );
    // A cycle keeps its listed order, and its checks are skipped for want of each other.
    const [next] = listed.splice(ready.length === 0 ? 0 : ready[pick(ready.length)]!, 1);
    placed.add(next!.check.id);
    ordered.push(next!);
  }
  return ordered;
}

/** What every result of a check shares, whatever its verdict. */
/**
 * The order the checks run in: app-loads first, then any order in which each check follows those it requires, drawn
 * each run. An app that counts its requests, or its sessions, cannot know which check it is answering.
 */
export function runOrder(exercise: string, groups: readonly CheckGroup[]): PlannedCheck[] {
  const drawn = plan(exercise, groups, randomInt);
  return [...drawn.filter(({ check }) => check.id === LOADS), ...drawn.filter(({ check }) => check.id !== LOADS)];
}

function resultBase({ check, from, gate }: PlannedCheck) {
  return {
    id: check.id,
    name: check.name,
    exercise: from,
    maxPoints: gate ? 0 : check.points,
    ...(gate ? { gate: true as const } : {}),
    visibility: check.visibility ?? "visible",
    ...(check.hints ? { hints: check.hints } : {}),
  } as const;
}

/**
 * Every check of an exercise that could not be graded at all (its grading did not run), as failed with the cause:
 * the exercise keeps its full maximum, so a gradebook never shows a broken submission as 0 of 0.
 */
export function notGraded(exercise: string, groups: readonly CheckGroup[], message: string): CheckResult[] {
  return plan(exercise, groups).map((planned) => ({
    ...resultBase(planned),
    status: "failed",
    points: 0,
    message,
    cause: "app-unavailable",
    durationMs: 0,
  }));
}

/**
 * Runs an exercise's checks against the app of one session: the app-loads check, then every group's checks (see
 * {@link plan}). The exercise's own checks earn points; the earlier exercises' checks and app-loads are gates. A
 * check whose prerequisites did not pass is skipped with the reason; past the exercise's time limit, the rest are
 * skipped. The learner's code runs only in the session's app process: here, only its answers are read.
 */
export async function runChecks(
  exercise: string,
  groups: readonly CheckGroup[],
  session: AppSession,
): Promise<CheckResult[]> {
  const listedOrder = new Map(plan(exercise, groups).map(({ check }, index) => [check.id, index]));
  const checks = runOrder(exercise, groups);
  // The later an exercise, the closer its adapter to the work: it has the last word.
  const adaptersOf = (chosen: readonly CheckGroup[]) => chosen.flatMap((group) => (group.adapts ? [group.adapts] : []));
  const inTermsOf = (adapters: readonly CheckAdapter[], work: () => Promise<void>) =>
    adapters.reduceRight<() => Promise<void>>((inner, adapt) => () => adapt(session.secrets, inner), work)();
  const adapters = adaptersOf(groups);
  // The groups that help with a change of terms, the latest first: an earlier check that fails here and holds
  // without one group's change awaits that change (a cookie read unsigned, now that it is signed), rather than
  // being a regression. In the exercise that makes the change, and in the later ones: an app may still read the
  // cookie the old way there.
  const helping = groups.filter((group) => group.adaptsHelp !== undefined).reverse();
  const names = new Map(checks.map(({ check }) => [check.id, check.name]));
  const outcomes = new Map<string, CheckResult["status"]>();
  const results: CheckResult[] = [];
  const started = performance.now();
  const { limits } = session;

  for (const planned of checks) {
    const { check } = planned;
    const base = resultBase(planned);
    const skip = (message: string, cause: FailureCause) => {
      outcomes.set(check.id, "skipped");
      results.push({ ...base, status: "skipped", points: 0, message, cause, durationMs: 0 });
    };
    const requires = check.id === LOADS ? [] : [LOADS, ...(check.requires ?? [])];
    if (performance.now() - started > limits.exerciseMs) {
      skip(
        `Skipped: this exercise's time limit (${limits.exerciseMs / 1000} s) ran out. Is the app very slow to answer?`,
        "exercise-timeout",
      );
      continue;
    }
    const blocker = requires.find((id) => outcomes.get(id) !== "passed");
    if (blocker !== undefined) {
      skip(`Skipped until this passes: ${names.get(blocker) ?? blocker}`, "prerequisite");
      continue;
    }
    let failure: Failure | undefined;
    let changed: AdaptsHelp | undefined;
    const checkStarted = performance.now();
    session.startCheck();
    const run = () => check.run(contextFor(session));
    try {
      await withTimeout(inTermsOf(adapters, run), limits.checkMs);
      // A production app meets two deployments (HTTPS to it, or ended by a proxy in front): the check holds in both.
      while (await session.nextDeployment()) await withTimeout(inTermsOf(adapters, run), limits.checkMs);
    } catch (error) {
      failure = teachingFailure(error, session);
      if (planned.gate && planned.from !== exercise && failure.cause === "behaviour") {
        for (const group of helping.filter((one) => one.adaptsHelp!.telltale === check.id)) {
          const formerTerms = adaptersOf(groups.filter((other) => other !== group));
          const holdsThere = await withTimeout(inTermsOf(formerTerms, run), limits.checkMs).then(
            () => true,
            () => false,
          );
          if (holdsThere) {
            changed = group.adaptsHelp;
            break;
          }
        }
      }
    }
    const { output, ended } = await session.endCheck();
    const hadToBeEnded = ended?.kind === "unresponsive" || ended?.kind === "memory";
    if (ended && !hadToBeEnded && !sameEnd(failure?.namesEnd, ended, limits)) {
      // An app that ended its own process is the cause of whatever else went wrong (a missing answer): name it.
      failure = {
        message: `The app's process ended during this check: ${describeEnd(ended, limits)}`,
        cause: "process-ended",
      };
    } else if (ended && hadToBeEnded && failure === undefined) {
      // Right answers, and then it stopped answering or outgrew its memory: the next visitor gets nothing. (When a
      // request hung, its failure already names the cause.)
      failure = {
        message: `The app answered, then had to be ended: ${describeEnd(ended, limits)}`,
        cause: "process-ended",
      };
    }
    outcomes.set(check.id, failure === undefined ? "passed" : "failed");
    results.push({
      ...base,
      // An earlier exercise's check that fails only in the terms a later exercise changed: its help is that one's.
      ...(changed ? { changedTerms: changed.change, hints: changed.hints } : {}),
      status: failure === undefined ? "passed" : "failed",
      points: failure === undefined ? base.maxPoints : 0,
      ...(failure === undefined ? {} : { message: failure.message, cause: failure.cause }),
      ...(failure?.at === undefined ? {} : { at: failure.at }),
      ...(output === undefined ? {} : { output }),
      durationMs: Math.round(performance.now() - checkStarted),
    });
  }
  // Reported in the listed order, whatever order they ran in: a learner finds each check where it was last time.
  return results.sort((a, b) => (listedOrder.get(a.id) ?? 0) - (listedOrder.get(b.id) ?? 0));
}

function contextFor(session: AppSession): CheckContext {
  return {
    app: () => session.createApp(),
    productionApp: () => session.createApp({ production: true }),
    startWithoutSecret: (secret) => session.startWithoutSecret(secret),
    secrets: session.secrets,
    setNow: (moment) => void (session.clock = moment.getTime()),
  };
}

/** Whether two ends are the same one: told once, the message needs no second sentence for it. */
function sameEnd(told: EndCause | undefined, ended: EndCause, limits: GradingLimits): boolean {
  return told !== undefined && describeEnd(told, limits) === describeEnd(ended, limits);
}

/** A check that outlives its limit: an await that never settles. */
class CheckTimeout extends Error {}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work,
      new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new CheckTimeout()), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Why a check failed: the message a learner reads, and its kind. */
interface Failure {
  readonly message: string;
  readonly cause: FailureCause;
  /** How the app's process ended, when the message already says it (a request that got no answer because of it). */
  readonly namesEnd?: EndCause;
  /** The learner's line it points at (`src/app.ts:12`). */
  readonly at?: string;
}

/** The message a learner reads for an error (ours as written, theirs named as theirs), with its kind. */
function teachingFailure(error: unknown, session: AppSession): Failure {
  if (error instanceof AppUnavailableError) return { message: error.message, cause: "app-unavailable" };
  if (error instanceof CheckFailure) return { message: error.message, cause: "behaviour" };
  if (error instanceof NoResponseError) {
    const { why } = error;
    const message =
      why.kind === "never-answered"
        ? `${error.message}\nHint:     Every path through a handler must end the response (res.send, res.end…). Is an await never settled, or a next() missing?`
        : error.message;
    return { message, cause: "no-response", ...(why.kind === "ended" ? { namesEnd: why.cause } : {}) };
  }
  if (error instanceof AppAnswerError) {
    const at =
      error.kind === "load-failed" || error.kind === "create-app-threw" ? learnerLine(error.message) : undefined;
    return { message: appAnswerMessage(error), cause: error.kind, ...(at === undefined ? {} : { at }) };
  }
  if (error instanceof AppEndedError)
    return {
      message: `The app could not run: ${describeEnd(error.endCause, session.limits)}`,
      cause: "process-ended",
      namesEnd: error.endCause,
    };
  if (error instanceof CheckTimeout)
    return { message: `This check did not finish within ${session.limits.checkMs / 1000} s.`, cause: "check-timeout" };
  const text = error instanceof Error ? error.message : String(error);
  return { message: `The check could not finish: ${text.split("\n")[0]}`, cause: "check-error" };
}

/** What the app process said went wrong with the learner's app, in the learner's terms. */
function appAnswerMessage(error: AppAnswerError): string {
  switch (error.kind) {
    case "missing-create-app":
      return "src/app.ts does not export a function named createApp: keep `export function createApp()`.";
    case "load-failed":
      return `src/app.ts could not be loaded: ${learnerText(error.message)}`;
    case "create-app-threw":
      return `createApp() threw: ${learnerText(error.message)}`;
    case "not-an-app":
      return `createApp() must return the Express app (\`return app;\`), but it returned ${error.message}.`;
    default:
      return `The app could not be served: ${learnerText(error.message)}`;
  }
}
