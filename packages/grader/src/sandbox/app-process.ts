import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { spawnPlan, type ConfinedProgram, type ConfinementLayers } from "./confinement.js";
import {
  LineReader,
  readHostMessage,
  type HostCommand,
  type HostErrorKind,
  type HostMessage,
  type HostRequest,
} from "./protocol.js";
import { CappedText } from "./text.js";
import { judgeUnresponsive, mayTellMore, type UnresponsiveApp } from "./unresponsive.js";

/** How much of an app's output is kept per check, for the report. */
export const OUTPUT_LIMIT_BYTES = 2_048;

/** Why an app process is gone. */
export type EndCause =
  | { readonly kind: "exit-called"; readonly code: string }
  | { readonly kind: "uncaught"; readonly message: string }
  | { readonly kind: "exited"; readonly code: number | null; readonly signal: string | null }
  /**
   * Past the limit; or, with `residentMb` alone, well on its way there when it stopped answering. With `socketMb`,
   * what was measured when it passed the limit: its resident memory and the data its sockets held in the kernel.
   */
  | { readonly kind: "memory"; readonly limitMb: number; readonly residentMb?: number; readonly socketMb?: number }
  /**
   * Answers nothing; with `grew`, its memory grew meanwhile, by more than a loop's garbage makes, but it had too little
   * CPU (a loaded machine) for that to prove a leak: either may be the cause, and the learner is told both.
   */
  | {
      readonly kind: "unresponsive";
      readonly stopped: boolean;
      readonly grew?: { readonly residentMb: number; readonly limitMb: number };
    }
  | { readonly kind: "never-started"; readonly detail: string };

/** The app's code answered a request with an error of its own (it could not load, createApp threw…). */
export class AppAnswerError extends Error {
  override name = "AppAnswerError";
  constructor(
    readonly kind: HostErrorKind,
    message: string,
  ) {
    super(message);
  }
}

/** The app process ended (or was ended) while the grader waited on it. */
export class AppEndedError extends Error {
  override name = "AppEndedError";
  constructor(readonly endCause: EndCause) {
    super(`The app's process ended: ${endCause.kind}`);
  }
}

/** A request to the app process was not answered in time. */
export class AppTimeoutError extends Error {
  override name = "AppTimeoutError";
}

/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ, fixed by its user-space ABI). */
const MS_PER_CLOCK_TICK = 10;

const live = new Set<AppProcess>();
// Nothing an app started outlives the grader, even when the grader itself is ended early.
process.once("exit", () => {
  for (const app of live) app.kill();
});

/**
 * One confined process that runs one learner app (one exercise of one submission), seen from the grader: requests
 * on its control channel, its output (kept, capped, never passed through), its memory, and its end.
 */
export class AppProcess {
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  readonly #memoryLimitMb: number;
  #nextId = 1;
  #ended: EndCause | undefined;
  #killedFor: EndCause | undefined;
  #killing = false;
  #reported: EndCause | undefined;
  readonly #exited: Promise<EndCause>;
  readonly #ready: Promise<void>;
  #readyNow: () => void = () => {};
  /** What the app printed during the current check: the first 2 kB of it. */
  readonly #output = new CappedText(OUTPUT_LIMIT_BYTES);
  #watchdog: NodeJS.Timeout | undefined;
  /** The least resident memory the watchdog read since the app last answered, in kB. */
  #lowestResidentSinceAnswerKb = Number.POSITIVE_INFINITY;
  /** The CPU time the process had used when it last answered, in ms (Linux; 0 elsewhere). */
  #cpuMsAtAnswer = 0;

  private constructor(child: ChildProcess, memoryLimitMb: number) {
    this.#child = child;
    this.#memoryLimitMb = memoryLimitMb;
    live.add(this);
    for (const stream of [child.stdout, child.stderr]) {
      // Decoded as a stream: a character split across two chunks is put back together, not made two U+FFFDs.
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => this.#output.push(chunk));
    }
    this.#ready = new Promise((resolve) => (this.#readyNow = resolve));
    // The control channel is a plain pipe read here line by line, never Node's IPC: Node parses an IPC line in its
    // own code, where a line that is not JSON, or a message of Node's own (NODE_HANDLE_ACK), throws in this process.
    const lines = new LineReader((line) => this.#receive(line));
    const messages = this.#messages;
    messages?.on("data", (chunk: Buffer) => lines.push(chunk));
    messages?.on("error", () => {});
    // A request to an app that has ended fails to be written: its end is seen through "exit". The requests go on a
    // descriptor of their own, so that such a failure, which destroys its socket, never costs an unread report.
    this.#requests?.on("error", () => {});
    this.#exited = new Promise((resolve) => {
      // A failure to start (no bwrap, no node). Later errors (a send to a process that just ended) are followed by
      // its exit, which says why it ended.
      child.on("error", (error) => {
        if (child.pid === undefined) this.#end({ kind: "never-started", detail: error.message }, resolve);
      });
      child.on("exit", (code, signal) => {
        // What the app sent just before it ended (its exit-called report) may still be in the pipe: "exit" and the
        // pipe's data come on different descriptors, in no set order. Its end of file comes after the last line.
        void this.#channelClosed().then(() => {
          // V8 ends a process whose heap is full with a message of its own: that is the memory limit too.
          const heapFull = /JavaScript heap out of memory|Reached heap limit/.test(this.#output.text)
            ? { kind: "memory" as const, limitMb: memoryLimitMb }
            : undefined;
          // What the app said of its own end comes first: an exit it asked for is why it ended, whatever came next.
          this.#end(this.#reported ?? this.#killedFor ?? heapFull ?? { kind: "exited", code, signal }, resolve);
        });
      });
    });
    if (process.platform === "linux") {
      this.#watchdog = setInterval(() => this.#checkMemory(), 100);
      this.#watchdog.unref();
    }
  }

  /**
   * Starts an app process on a prepared staging folder and waits until its dependencies are loaded.
   * @param startMs how long it may take to start: generous, since a loaded machine starts processes slowly
   */
  static async start(layers: ConfinementLayers, program: ConfinedProgram, startMs: number): Promise<AppProcess> {
    const plan = spawnPlan(layers, program);
    const child = spawn(plan.file, plan.args, {
      cwd: program.root,
      env: plan.env,
      // File descriptors 3 and 4: the control channel (see protocol.ts), the app's messages and the grader's requests.
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
      // Its own process group, so that ending it ends everything it started.
      detached: process.platform !== "win32",
      windowsHide: true,
    });
    const app = new AppProcess(child, layers.memoryLimitMb);
    const outcome = await Promise.race([
      app.#ready.then(() => "ready" as const),
      app.#exited,
      delay(startMs).then(() => "late" as const),
    ]);
    if (outcome === "ready") return app;
    app.kill();
    const printed = app.takeOutput()?.trim().split("\n").slice(0, 6).join("\n");
    const detail =
      outcome === "late"
        ? `it did not start within ${startMs / 1000} s`
        : outcome.kind === "never-started"
          ? outcome.detail
          : `it ended (${outcome.kind})`;
    throw new AppEndedError({ kind: "never-started", detail: printed ? `${detail}:\n${printed}` : detail });
  }

  get ended(): EndCause | undefined {
    return this.#ended;
  }

  /** Whether it has ended or is being ended: on a loaded machine a killed process may take seconds to be gone. */
  get ending(): boolean {
    return this.#ended !== undefined || this.#killing;
  }

  /** Whether the grader ended it (a verdict of its own, or a retirement), rather than the app ending itself. */
  get endedByGrader(): boolean {
    return this.#killing;
  }

  /** Why it ended, or why the grader is ending it while it is not gone yet. */
  get endingFor(): EndCause | undefined {
    return this.#ended ?? this.#killedFor;
  }

  /** Sends a request and waits for its answer, the process's end, or the time limit, whichever comes first. */
  async request(request: HostCommand, timeoutMs: number): Promise<void> {
    if (this.#ended) throw new AppEndedError(this.#ended);
    const id = this.#nextId++;
    const answered = new Promise<void>((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#requests?.write(`${JSON.stringify({ ...request, id } satisfies HostRequest)}\n`);
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        answered,
        this.#exited.then((cause) => Promise.reject(new AppEndedError(cause))),
        new Promise<never>(
          (_resolve, reject) =>
            (timer = setTimeout(
              () => reject(new AppTimeoutError(`no answer to ${request.op} within ${timeoutMs} ms`)),
              timeoutMs,
            )),
        ),
      ]);
    } finally {
      clearTimeout(timer);
      this.#pending.delete(id);
    }
  }

  /** The app's messages' end (all they carried has been read), or a second, whichever comes first. */
  #channelClosed(): Promise<void> {
    const channel = this.#messages;
    if (!channel || channel.destroyed || channel.readableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 1_000);
      channel.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Whether the app's event loop still answers: false when its code loops forever, or the process is stopped. */
  async responds(timeoutMs: number): Promise<boolean> {
    try {
      await this.request({ op: "ping" }, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the process (or one it started) is stopped, as by SIGSTOP (Linux only; false elsewhere). */
  isStopped(): boolean {
    return this.#tree().some((pid) => /^\d+ \(.*\) [Tt] /.test(readProc(pid, "stat") ?? ""));
  }

  /** Waits, at most `timeoutMs`, for the process to end; its cause, or undefined if it still runs. */
  async waitForEnd(timeoutMs: number): Promise<EndCause | undefined> {
    return Promise.race([this.#exited, delay(timeoutMs).then(() => undefined)]);
  }

  /** What the app printed since the last call (the first 2 kB, and how much more there was). */
  takeOutput(): string | undefined {
    return this.#output.take();
  }

  /** Ends the process and everything it started; `cause` is what its end will be reported as. */
  kill(cause?: EndCause): void {
    clearInterval(this.#watchdog);
    const pid = this.#child.pid;
    // A process that already ended ended for its own reason: that stays its cause.
    if (pid === undefined || this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    if (cause && !this.#killedFor) this.#killedFor = cause;
    this.#killing = true;
    try {
      // The whole group (bwrap, or node, and anything it managed to start); SIGKILL ends a stopped process too.
      if (process.platform === "win32") this.#child.kill();
      else process.kill(-pid, "SIGKILL");
    } catch {
      this.#child.kill("SIGKILL");
    }
  }

  /** Ends the process and waits until it is gone. */
  async dispose(): Promise<void> {
    this.kill();
    await this.#exited;
  }

  /** File descriptor 3 of the app: what it reports (answers, its exit), read here, never written to. */
  get #messages(): Duplex | undefined {
    return (this.#child.stdio[3] ?? undefined) as Duplex | undefined;
  }

  /** File descriptor 4 of the app: the grader's requests, written here. */
  get #requests(): Duplex | undefined {
    return (this.#child.stdio[4] ?? undefined) as Duplex | undefined;
  }

  #receive(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      return;
    }
    const message: HostMessage | undefined = readHostMessage(raw);
    if (!message) return;
    // The app answered: its event loop ran just now. Growth counts from here (not from its start, when loading its
    // packages grows any app by tens of MB).
    this.#lowestResidentSinceAnswerKb = Number.POSITIVE_INFINITY;
    this.#cpuMsAtAnswer = this.#cpuMs();
    if (message.op === "ready") this.#readyNow();
    else if (message.op === "answer") {
      const pending = this.#pending.get(message.id);
      if (!pending) return;
      if (message.ok) pending.resolve();
      else pending.reject(new AppAnswerError(message.kind, message.message));
    } else if (message.op === "exit-called") this.#reported ??= { kind: "exit-called", code: message.code };
    else if (message.op === "uncaught") this.#reported ??= { kind: "uncaught", message: message.message };
  }

  #end(cause: EndCause, resolve: (cause: EndCause) => void): void {
    if (this.#ended) return;
    this.#ended = cause;
    clearInterval(this.#watchdog);
    live.delete(this);
    // Its group may hold processes it started: end them too.
    if (process.platform !== "win32" && this.#child.pid !== undefined) {
      try {
        process.kill(-this.#child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    resolve(cause);
  }

  /**
   * The memory of the whole process tree, checked from outside (V8's own cap misses Buffers): its resident size,
   * and the data its sockets hold in the kernel's buffers (connections to itself that nobody reads pin gigabytes
   * there, while the resident size stays small).
   */
  #checkMemory(): void {
    const residentKb = this.#residentKilobytes();
    this.#lowestResidentSinceAnswerKb = Math.min(this.#lowestResidentSinceAnswerKb, residentKb);
    const limitKb = this.#memoryLimitMb * 1024;
    if (residentKb > limitKb) {
      this.kill({ kind: "memory", limitMb: this.#memoryLimitMb });
      return;
    }
    const sockets = openSockets(this.#tree());
    // Reading the kernel's socket tables costs milliseconds (it walks the machine's whole connection table), ten times
    // a second for each app: skip it while even full buffers on every socket could not take the app over its limit.
    if (residentKb + (sockets.inodes.size * MOST_BYTES_PER_SOCKET) / 1024 <= limitKb) return;
    const socketKb = Math.round(queuedBytes(sockets) / 1024);
    if (residentKb + socketKb > limitKb) {
      const mb = (kb: number) => Math.round(kb / 1024);
      this.kill({ kind: "memory", limitMb: this.#memoryLimitMb, residentMb: mb(residentKb), socketMb: mb(socketKb) });
    }
  }

  #residentKilobytes(): number {
    return this.#tree().reduce(
      (sum, pid) => sum + Number(/VmRSS:\s+(\d+)/.exec(readProc(pid, "status") ?? "")?.[1] ?? 0),
      0,
    );
  }

  /**
   * Whether the app still answers, and if not, why: stopped (SIGSTOP), busy growing its memory (on a loaded
   * machine it may not reach the limit before the time limit: its resident memory grows while it does not answer),
   * or looping. Linux tells the three apart; elsewhere an app that does not answer is taken to loop. It gets
   * `leastMs` to answer; on Linux, an app starved of CPU gets up to `mostMs` to show which it is.
   */
  async whyUnresponsive({ leastMs, mostMs }: { leastMs: number; mostMs: number }): Promise<EndCause | undefined> {
    let answered = false;
    const answer = this.responds(mostMs).then((responds) => (answered = responds));
    const judged = this.#hadItsChance(leastMs, mostMs, () => answered).then(() => false);
    if (await Promise.race([answer, judged])) return undefined;
    if (this.#ended) return this.#ended;
    return this.unresponsiveCause();
  }

  /**
   * Settles after `leastMs`, once more CPU time could not change the verdict (the app has had a second of it since
   * it last answered, or its memory tells already, or it is stopped), or it has ended, or has answered after all; at
   * the latest after `mostMs`.
   */
  async #hadItsChance(leastMs: number, mostMs: number, hasAnswered: () => boolean): Promise<void> {
    const start = Date.now();
    await delay(leastMs);
    // Elsewhere the CPU time is not known: every app counts as having had its chance.
    if (process.platform !== "linux") return;
    // /proc has no event for "has used this much CPU": it is read every tenth of a second, as the watchdog reads memory.
    while (!this.#ended && !hasAnswered() && Date.now() - start < mostMs && mayTellMore(this.#unresponsive()))
      await delay(100);
  }

  /** {@link whyUnresponsive}'s verdict, for an app known not to answer. */
  unresponsiveCause(): EndCause {
    return judgeUnresponsive(this.#unresponsive());
  }

  /** What /proc tells of the app, taken not to answer. */
  #unresponsive(): UnresponsiveApp {
    const residentKb = this.#residentKilobytes();
    return {
      stopped: this.isStopped(),
      residentMb: Math.round(residentKb / 1024),
      grownMb: (residentKb - Math.min(this.#lowestResidentSinceAnswerKb, residentKb)) / 1024,
      cpuSinceAnswerMs: this.#cpuMs() - this.#cpuMsAtAnswer,
      limitMb: this.#memoryLimitMb,
    };
  }

  /** The CPU time the process tree has used, in ms (Linux; 0 elsewhere). */
  #cpuMs(): number {
    return this.#tree().reduce((sum, pid) => {
      // Fields 14 and 15 (utime, stime), counted after the name: it is in parentheses and may hold spaces and ") ".
      const stat = readProc(pid, "stat") ?? "";
      const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
      return sum + (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * MS_PER_CLOCK_TICK;
    }, 0);
  }

  /** The process and all its descendants (through bwrap's namespace), by their pids on this machine. */
  #tree(): number[] {
    const root = this.#child.pid;
    if (root === undefined || process.platform !== "linux") return [];
    const pids: number[] = [];
    const visit = (pid: number) => {
      pids.push(pid);
      const children = readProc(pid, join("task", String(pid), "children"));
      for (const child of children?.trim().split(/\s+/).filter(Boolean) ?? []) visit(Number(child));
    };
    visit(root);
    return pids;
  }
}

/**
 * The bytes that the sockets of these processes hold in the kernel (Linux): for each TCP and UDP socket they have
 * open, the data queued to send and received unread, as /proc/<pid>/net/{tcp,tcp6,udp,udp6} list them (tx_queue
 * and rx_queue) in the processes' own network namespace. Sockets are told apart by inode, so that without a network
 * namespace of its own the app is charged for its sockets only. (Unix sockets' queues are not listed there: the
 * open-files limit bounds them.)
 */
export function socketBytes(pids: readonly number[]): number {
  return queuedBytes(openSockets(pids));
}

/** The sockets these processes have open, by inode, and one process of each network namespace to read them through. */
interface OpenSockets {
  readonly inodes: ReadonlySet<string>;
  readonly namespaces: ReadonlyMap<string, number>;
}

function openSockets(pids: readonly number[]): OpenSockets {
  const inodes = new Set<string>();
  const namespaces = new Map<string, number>();
  for (const pid of pids) {
    const fds = readProcDir(pid, "fd");
    for (const fd of fds) {
      const target = readProcLink(pid, join("fd", fd));
      if (target?.startsWith("socket:[")) inodes.add(target.slice(8, -1));
    }
    const namespace = readProcLink(pid, join("ns", "net"));
    if (namespace !== undefined && fds.length > 0 && !namespaces.has(namespace)) namespaces.set(namespace, pid);
  }
  return { inodes, namespaces };
}

function queuedBytes({ inodes, namespaces }: OpenSockets): number {
  if (inodes.size === 0) return 0;
  let bytes = 0;
  for (const pid of namespaces.values()) {
    for (const table of ["tcp", "tcp6", "udp", "udp6"])
      bytes += queuedBytesIn(readProc(pid, join("net", table)) ?? "", inodes);
  }
  return bytes;
}

/**
 * The most data one socket can hold in the kernel, received and to send: the kernel caps each direction at the larger
 * of TCP's own buffer ceiling (net.ipv4.tcp_rmem/tcp_wmem, the third value) and twice what SO_RCVBUF/SO_SNDBUF may
 * ask for (net.core.rmem_max/wmem_max). A new network namespace starts from the same values, and an app without
 * capabilities cannot raise them. Infinity where they cannot be read: then the tables are always read.
 */
const MOST_BYTES_PER_SOCKET = mostBytesPerSocket();

function mostBytesPerSocket(): number {
  const sysctl = (name: string, field: number): number => {
    try {
      const value = Number(readFileSync(join("/proc/sys/net", name), "utf8").trim().split(/\s+/)[field]);
      return Number.isFinite(value) && value > 0 ? value : Number.POSITIVE_INFINITY;
    } catch {
      return Number.POSITIVE_INFINITY;
    }
  };
  const received = Math.max(sysctl("ipv4/tcp_rmem", 2), 2 * sysctl("core/rmem_max", 0));
  const sent = Math.max(sysctl("ipv4/tcp_wmem", 2), 2 * sysctl("core/wmem_max", 0));
  return received + sent;
}

/** The TCP state of a listening socket, whose rx_queue counts connections waiting to be accepted, not bytes. */
const LISTEN = "0A";

/** Sums tx_queue and rx_queue of the rows of a /proc/net table whose inode is among `inodes`. */
function queuedBytesIn(table: string, inodes: ReadonlySet<string>): number {
  let bytes = 0;
  // Row: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …
  for (const line of table.split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 10 || fields[3] === LISTEN || !inodes.has(fields[9]!)) continue;
    const [tx = "0", rx = "0"] = fields[4]!.split(":");
    bytes += Number.parseInt(tx, 16) + Number.parseInt(rx, 16);
  }
  return bytes;
}

function readProcDir(pid: number, dir: string): string[] {
  try {
    return readdirSync(join("/proc", String(pid), dir));
  } catch {
    return [];
  }
}

function readProcLink(pid: number, link: string): string | undefined {
  try {
    return readlinkSync(join("/proc", String(pid), link));
  } catch {
    return undefined;
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(join("/proc", String(pid), file), "utf8");
  } catch {
    return undefined;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
