import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { AppAnswerError, AppEndedError, AppProcess, type EndCause } from "../sandbox/app-process.js";
import type { AppSecrets, ConfinedProgram, ConfinementLayers } from "../sandbox/confinement.js";
import type { Deployment } from "../sandbox/protocol.js";
import type { GradingLimits } from "../shared.js";
import type { NoResponse } from "./exchange.js";

/** How long an app process may take to start and load its packages: a loaded 2-core machine is slow to fork. */
export const START_LIMIT_MS = 30_000;

/** The least time an app that did not answer a request gets to answer a ping, before it is taken to loop (or grow). */
const PROBE_MS = 1_500;

/** What a probe leaves of a check's time: enough to end a large process on a loaded machine and say why. */
const TIME_TO_END_MS = 2_000;

/** An app the learner's `createApp()` built, served by its process on its own socket. */
export interface App {
  readonly session: AppSession;
  readonly process: AppProcess;
  /** A Unix socket path (a named pipe on Windows), relayed to the app's loopback port. */
  readonly address: string;
  /** For an app built in production: how HTTPS reaches it, which its requests must show. */
  readonly deployment?: Deployment;
}

/** Both ways HTTPS reaches a production app: a check that builds one runs in each (see {@link AppSession.nextDeployment}). */
const DEPLOYMENTS: readonly Deployment[] = ["tls", "proxy"];

/**
 * What became of an app asked to start in production without COOKIE_SECRET, judged from outside its process: its
 * process ended, or nothing listens at the address it was to serve on (and the grader holds that address, so that
 * nothing can start serving there later), or something does. What the app's process answered is kept for the
 * message only: the learner's code shares that process and can make it say anything.
 */
export type StartWithoutSecret =
  | { readonly started: false; readonly how: "ended"; readonly cause: EndCause }
  | { readonly started: false; readonly how: "no-listener"; readonly said: AppAnswerError | undefined }
  | { readonly started: true; readonly said: AppAnswerError | undefined };

/**
 * The grading of one exercise of one submission, seen from the checks: the app process (started when first needed,
 * and again if it ended), the clock and NODE_ENV each request must see, and what went wrong before.
 */
export class AppSession {
  readonly #layers: ConfinementLayers;
  readonly #program: ConfinedProgram;

  /** The secrets the app was given (COOKIE_SECRET), for checks that sign or verify as it does. */
  get secrets(): AppSecrets {
    return this.#program.secrets;
  }
  readonly #limits: GradingLimits;
  #spare: Promise<AppProcess> | undefined;
  #process: AppProcess | undefined;
  #apps = 0;
  /** The moment `Date` shows the app for the next request; null for the real clock. */
  clock: number | null = null;
  /** The clock each app process has now: null (real) when it starts. */
  readonly #clocks = new WeakMap<AppProcess, number | null>();
  /**
   * Requests ("GET /path") that already hung, with what their first failure said: later checks fail at once instead
   * of each waiting out the time limit, and say the same (a learner may read only the later check's message).
   */
  readonly hungPaths = new Map<string, { readonly message: string; readonly why: NoResponse }>();
  /** Every app process this session started, in order. */
  readonly #started: AppProcess[] = [];
  /** App processes the grader ended for its own reasons (one still answering, yet slow to close its servers). */
  readonly #retired = new Set<AppProcess>();
  /**
   * App processes asked to start without their secret: if one ends itself before it is asked to build an app again,
   * that is its refusal to start (as a server that exits at start), not a failure. (Its exit may come just after its
   * answer, even after the check.) Once it builds an app again, its end counts as any other.
   */
  readonly #mayEndToRefuse = new Set<AppProcess>();
  /** Addresses the grader itself holds for the rest of the check (see {@link startWithoutSecret}). */
  readonly #held: Server[] = [];
  #endedBefore = 0;
  #checkStartedAt = Date.now();
  /**
   * The deployments a check's production apps meet, in the order this session tries them: drawn once per session,
   * so that neither is always the first.
   */
  readonly #deployments = Math.random() < 0.5 ? DEPLOYMENTS : [...DEPLOYMENTS].reverse();
  /** Which of {@link #deployments} the current run of the check builds its production apps in. */
  #deploymentRun = 0;
  /** Whether the current run of the check built a production app. */
  #builtProduction = false;

  /** Set when there is no app to run (no src/app.ts, a syntax error): what the app-loads check says. */
  readonly #unavailable: string | undefined;

  constructor(
    layers: ConfinementLayers,
    program: ConfinedProgram,
    limits: GradingLimits,
    { spare, unavailable }: { spare?: Promise<AppProcess> | undefined; unavailable?: string | undefined } = {},
  ) {
    this.#layers = layers;
    this.#program = program;
    this.#limits = limits;
    this.#spare = spare;
    this.#unavailable = unavailable;
  }

  get limits(): GradingLimits {
    return this.#limits;
  }

  /** A new app from `createApp()`, with NODE_ENV=production when asked (the rest of the check keeps it). */
  async createApp({ production = false }: { production?: boolean } = {}): Promise<App> {
    if (this.#unavailable !== undefined) throw new AppUnavailableError(this.#unavailable);
    const process = await this.#running();
    this.#mayEndToRefuse.delete(process);
    const address = socketAddress(this.#program.socketDir, ++this.#apps);
    const deployment = production ? this.#deployments[this.#deploymentRun] : undefined;
    if (production) this.#builtProduction = true;
    await process.request(
      { op: "create", address, production, ...(deployment ? { deployment } : {}) },
      this.#limits.checkMs,
    );
    return { session: this, process, address, ...(deployment ? { deployment } : {}) };
  }

  /**
   * After a run of a check that passed: whether it must run again, because it built a production app and a production
   * app meets another deployment too (HTTPS to the app itself, or ended by a proxy in front of it). From then on its
   * production apps are built in that one. A cookie must be Secure in both, and a check passes only if it passes in both.
   */
  async nextDeployment(): Promise<boolean> {
    if (!this.#builtProduction || this.#deploymentRun + 1 >= this.#deployments.length) return false;
    this.#deploymentRun += 1;
    this.#builtProduction = false;
    // The run starts as the check did: the first run's servers closed, the real clock, NODE_ENV back to development
    // (a copy without COOKIE_SECRET, once built, would otherwise stay for the rest of the check).
    this.clock = null;
    for (const held of this.#held.splice(0)) held.close();
    const process = this.#process;
    if (process && !process.ending) await this.#reset(process);
    return true;
  }

  /**
   * Asks for an app in production without COOKIE_SECRET, and judges from outside whether it started: a server that
   * refuses to start ends its process, or never listens. The answer of the app's process decides nothing: with
   * net.Socket#write patched, an app that started says that createApp() threw.
   */
  async startWithoutSecret(secret: "unset" | "empty" = "unset"): Promise<StartWithoutSecret> {
    if (this.#unavailable !== undefined) throw new AppUnavailableError(this.#unavailable);
    const process = await this.#running();
    const address = socketAddress(this.#program.socketDir, ++this.#apps);
    this.#mayEndToRefuse.add(process);
    let said: AppAnswerError | undefined;
    try {
      await process.request({ op: "create", address, production: true, withoutSecret: secret }, this.#limits.checkMs);
    } catch (error) {
      // It ended itself (process.exit, an error nothing caught): a refusal, as a server that exits at start.
      if (error instanceof AppEndedError && !process.endedByGrader)
        return { started: false, how: "ended", cause: error.endCause };
      if (!(error instanceof AppAnswerError)) throw error;
      said = error;
    }
    // Whatever it said, the address tells: the grader listens there itself. If it can, nothing served there, and
    // nothing can from now on (an app that answered "threw" and listened a moment later would serve nobody).
    const held = await holdAddress(address);
    if (held === undefined) return { started: true, said };
    this.#held.push(held);
    return { started: false, how: "no-listener", said };
  }

  /** Before each request: the app's clock as the check set it (a round trip only when it changes). */
  async prepare(app: App): Promise<void> {
    if (this.#clocks.get(app.process) === this.clock) return;
    await app.process.request({ op: "clock", now: this.clock }, this.#limits.requestMs);
    this.#clocks.set(app.process, this.clock);
  }

  /** Before each check: which app processes had already ended, so that an end during the check is seen. */
  startCheck(): void {
    this.#endedBefore = this.endCauses().length;
    this.#checkStartedAt = Date.now();
    this.#deploymentRun = 0;
    this.#builtProduction = false;
  }

  /**
   * How long an app that did not answer gets to answer a ping before it is judged: {@link PROBE_MS} at least; more,
   * if it was starved of CPU (a loaded machine), as long as the check's time allows, keeping some to end it.
   */
  probeWindow(): { leastMs: number; mostMs: number } {
    const leastMs = Math.max(PROBE_MS, this.#limits.requestMs / 2);
    const leftMs = this.#checkStartedAt + this.#limits.checkMs - Date.now() - TIME_TO_END_MS;
    return { leastMs, mostMs: Math.max(leastMs, leftMs) };
  }

  /**
   * After each check: the apps are closed, the clock is real again, NODE_ENV is back to development. Returns what
   * the app printed, and why its process ended during the check, if it did: even after a correct answer, a server
   * that ends its own process is gone for the next visitor. (Closing its servers is a round trip that an ended
   * process cannot make, so an exit just after the last answer is seen here.)
   */
  async endCheck(): Promise<{ output: string | undefined; ended: EndCause | undefined }> {
    this.clock = null;
    for (const held of this.#held.splice(0)) held.close();
    const process = this.#process;
    // A process being ended (a hung request's verdict) needs no reset, and must not be retired without blame.
    if (process && !process.ending) await this.#reset(process);
    return { output: process?.takeOutput(), ended: this.endCauses()[this.#endedBefore] };
  }

  /** Closes the process's apps, gives it the real clock and development back; or ends it when it cannot. */
  async #reset(process: AppProcess): Promise<void> {
    try {
      await process.request({ op: "reset" }, this.#limits.requestMs);
      this.#clocks.set(process, null);
    } catch {
      // It did not close its servers in time. If it no longer answers at all (a loop, a leak, a stop), that is why
      // it is ended, and the check hears of it: even after right answers, it serves no next visitor. If it still
      // answers (a loaded machine starved it), it is retired without blame. Either way the next apps come from a
      // fresh process. The probe may take the check's whole time: a starved app is slow.
      const cause = process.ended
        ? undefined
        : await process.whyUnresponsive({ ...this.probeWindow(), mostMs: this.#limits.checkMs });
      if (cause) process.kill(cause);
      else if (!process.ended) {
        this.#retired.add(process);
        process.kill();
      }
      await process.waitForEnd(5_000);
    }
  }

  /**
   * Why app processes ended while the checks ran (before {@link close} ends the last one), but those retired without
   * blame, and those that ended to refuse to start without their secret.
   */
  endCauses(): EndCause[] {
    // A process being ended for a cause counts at once: on a loaded machine it may take seconds to be gone.
    return this.#started.flatMap((process) =>
      process.endingFor && !this.#retired.has(process) && !this.#refusedByEnding(process) ? [process.endingFor] : [],
    );
  }

  /** Whether a process ended itself when asked to start without its secret (the grader did not end it). */
  #refusedByEnding(process: AppProcess): boolean {
    return this.#mayEndToRefuse.has(process) && !process.endedByGrader;
  }

  /** Ends the app process: nothing it started outlives its exercise. */
  async close(): Promise<void> {
    const spare = this.#spare;
    this.#spare = undefined;
    await Promise.all([
      this.#process?.dispose(),
      spare?.then(
        (process) => process.dispose(),
        () => {},
      ),
    ]);
  }

  /** The running app process, started (or taken from the spare) when there is none, or when the last one ended. */
  async #running(): Promise<AppProcess> {
    if (this.#process && !this.#process.ending) return this.#process;
    const spare = this.#spare;
    this.#spare = undefined;
    const started = spare ?? AppProcess.start(this.#layers, this.#program, START_LIMIT_MS);
    this.#process = await started;
    this.#started.push(this.#process);
    this.#clocks.set(this.#process, null);
    await this.#process.request({ op: "load" }, this.#limits.checkMs);
    return this.#process;
  }
}

/**
 * Listens at `address` (a Unix socket path or a Windows pipe): the server when nothing listened there, undefined when
 * something does (EADDRINUSE).
 */
function holdAddress(address: string): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once("error", (error: NodeJS.ErrnoException) =>
      error.code === "EADDRINUSE" ? resolve(undefined) : reject(error),
    );
    server.listen(address, () => resolve(server));
  });
}

/** There is no app to run: the message says why, in the learner's terms. */
export class AppUnavailableError extends Error {
  override name = "AppUnavailableError";
}

/**
 * Where app number `n` of a staging folder listens: its `sock/` folder, whose name was drawn at random (see
 * prepareStaging), so that no other app can guess it; on Windows, a named pipe with a random name.
 */
function socketAddress(socketDir: string, n: number): string {
  if (process.platform === "win32") return `\\\\.\\pipe\\cookie-grader-${randomBytes(16).toString("hex")}-${n}`;
  return join(socketDir, `${n}.sock`);
}
