import type { EndCause } from "./app-process.js";

/**
 * How much CPU time an app that stops answering must have had since its last answer before its memory tells a loop
 * from a leak. A loaded machine can starve it: in seconds of waiting it may run for a few tens of milliseconds, too
 * few for a leak to grow past a loop's garbage.
 */
export const JUDGED_AFTER_CPU_MS = 1_000;

/** Growth that no loop's garbage reaches: V8's young generation tops out at a few tens of MB, however long it runs. */
const BEYOND_GARBAGE_MB = 64;

/** Growth that proves a leak even in an app starved of CPU. */
const PROVES_LEAK_MB = 160;

/** What is known of an app that does not answer, read off /proc (Linux). */
export interface UnresponsiveApp {
  readonly stopped: boolean;
  readonly residentMb: number;
  /** Its growth since it last answered (not since its start, when loading its packages grows any app by tens of MB). */
  readonly grownMb: number;
  /** The CPU time it had since it last answered. */
  readonly cpuSinceAnswerMs: number;
  readonly limitMb: number;
}

/** Why an app does not answer: stopped, looping, growing its memory, or (starved of CPU) one of the last two. */
export function judgeUnresponsive({
  stopped,
  residentMb,
  grownMb,
  cpuSinceAnswerMs,
  limitMb,
}: UnresponsiveApp): EndCause {
  if (stopped) return { kind: "unresponsive", stopped: true };
  // A leak grows on, by tens of MB or more for each second of CPU it gets.
  const hadItsChance = cpuSinceAnswerMs >= JUDGED_AFTER_CPU_MS;
  if (grownMb >= PROVES_LEAK_MB || residentMb >= limitMb * 0.4 || (hadItsChance && grownMb >= BEYOND_GARBAGE_MB))
    return { kind: "memory", limitMb, residentMb };
  // Starved of CPU, an app that grew this much may be looping (its garbage) or leaking: not a verdict of either.
  if (grownMb >= BEYOND_GARBAGE_MB) return { kind: "unresponsive", stopped: false, grew: { residentMb, limitMb } };
  return { kind: "unresponsive", stopped: false };
}

/** Whether more CPU time could change {@link judgeUnresponsive}'s verdict. */
export function mayTellMore(app: UnresponsiveApp): boolean {
  const verdict = judgeUnresponsive(app);
  return app.cpuSinceAnswerMs < JUDGED_AFTER_CPU_MS && verdict.kind === "unresponsive" && !verdict.stopped;
}
