import { Server } from "node:net";
import { format } from "node:util";

/**
 * What keeps a learner's code from disturbing the grader that runs in the same process: its console output is
 * kept (capped) instead of flooding the terminal, built-in prototypes it patches are put back, and servers it
 * starts on its own are moved to a free port and closed.
 */

/** How much of a learner's console output is kept per check, for the report. */
export const OUTPUT_LIMIT_BYTES = 2_048;

/**
 * Date.parse as it was before any learner code ran. Checks read dates with it: while `Date` is faked, the global
 * Date is vitest's stand-in, whose statics a learner could replace between a request and the grader's look.
 */
export const parseDate: (text: string) => number = Date.parse;

/** Built-ins whose properties the grader relies on, as they were before any learner code ran. */
const INTRINSICS: readonly object[] = [
  Object, Object.prototype, Function.prototype, Array, Array.prototype, String, String.prototype, Number,
  Number.prototype, Boolean.prototype, Symbol, Symbol.prototype, Date, Date.prototype, RegExp, RegExp.prototype,
  Math, JSON, Promise, Promise.prototype, Map.prototype, Set.prototype, WeakMap.prototype, Error, Error.prototype,
  Reflect, URL, URL.prototype, URLSearchParams.prototype, Buffer, Buffer.prototype,
];

const snapshot = new Map(INTRINSICS.map((target) => [target, Object.getOwnPropertyDescriptors(target)]));

/**
 * Puts back every built-in property that learner code replaced, added or deleted (for example a patched
 * `Date.prototype.toISOString` or `Date.parse`), so the grader's own reasoning stays honest. Runs after each import
 * of the learner's app and after each request it handled.
 */
export function restoreIntrinsics(): void {
  for (const [target, original] of snapshot) {
    for (const key of Reflect.ownKeys(target)) {
      if (!(key in original)) Reflect.deleteProperty(target, key);
    }
    for (const key of Reflect.ownKeys(original)) {
      const descriptor = original[key as keyof typeof original]!;
      const current = Reflect.getOwnPropertyDescriptor(target, key);
      if (!current || !sameDescriptor(current, descriptor)) {
        try {
          Reflect.defineProperty(target, key, descriptor);
        } catch {
          // A frozen or non-configurable property cannot have been changed either.
        }
      }
    }
  }
}

function sameDescriptor(a: PropertyDescriptor, b: PropertyDescriptor): boolean {
  return a.value === b.value && a.get === b.get && a.set === b.set && a.writable === b.writable;
}

/** Console output captured during one check: the first {@link OUTPUT_LIMIT_BYTES}, and how much was dropped. */
export interface CapturedOutput {
  text(): string | undefined;
  restore(): void;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"] as const;

/** Captures console and stdout/stderr writes until `restore()`; a 50 MB flood costs little and keeps 2 kB. */
export function captureOutput(): CapturedOutput {
  let kept = "";
  let dropped = 0;
  const keep = (chunk: string) => {
    const room = OUTPUT_LIMIT_BYTES - kept.length;
    if (room <= 0) {
      dropped += chunk.length;
      return;
    }
    kept += chunk.slice(0, room);
    dropped += Math.max(0, chunk.length - room);
  };
  const originals = CONSOLE_METHODS.map((name) => [name, console[name]] as const);
  for (const name of CONSOLE_METHODS) {
    console[name] = (...args: unknown[]) => {
      if (kept.length >= OUTPUT_LIMIT_BYTES) dropped += estimate(args);
      else keep(`${format(...args)}\n`);
    };
  }
  const writes = [process.stdout, process.stderr].map((stream) => [stream, stream.write] as const);
  for (const [stream] of writes) {
    stream.write = ((chunk: unknown) => {
      keep(typeof chunk === "string" ? chunk : String(chunk));
      return true;
    }) as typeof stream.write;
  }
  return {
    text: () => (kept === "" ? undefined : dropped > 0 ? `${kept}\n… ${dropped} more characters not kept` : kept),
    restore: () => {
      for (const [name, original] of originals) console[name] = original as never;
      for (const [stream, write] of writes) stream.write = write;
    },
  };
}

/** The length of what a console call would print, without formatting a huge value only to drop it. */
function estimate(args: readonly unknown[]): number {
  return args.reduce<number>((sum, arg) => sum + (typeof arg === "string" ? arg.length : 16) + 1, 0);
}

/** Servers the learner's code started itself (app.listen at import): each is moved to a free local port. */
const startedByApp = new Set<Server>();

/**
 * Runs `load` while `listen` calls go to a free port on 127.0.0.1: an app that starts its own server on port 3000
 * is graded like any other, and two of them never collide.
 */
export async function withContainedListen<T>(load: () => Promise<T>): Promise<T> {
  const listen = Server.prototype.listen;
  Server.prototype.listen = function containedListen(this: Server, ...args: unknown[]) {
    startedByApp.add(this);
    const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
    return Reflect.apply(listen, this, callback ? [0, "127.0.0.1", callback] : [0, "127.0.0.1"]) as Server;
  } as typeof listen;
  try {
    return await load();
  } finally {
    Server.prototype.listen = listen;
  }
}

/** Closes what {@link withContainedListen} let the app start, so nothing keeps the grader alive. */
export function closeAppServers(): void {
  for (const server of startedByApp) {
    server.close();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  }
  startedByApp.clear();
}
