/**
 * The control channel between the grader and a graded app's process, one JSON message per line: the app's messages
 * on its file descriptor 3, the grader's requests on its descriptor 4 (one way each, so that a request that cannot
 * be written to an app that just ended never costs the report it sent last). The grader asks, the app process
 * answers; everything that comes back is untrusted input (the learner's code shares that process and may write
 * anything to the descriptor), read only through {@link LineReader} and {@link readHostMessage}.
 */

import { cutCodePoints, wellFormed } from "./text.js";

/** What the grader asks of the app process. */
export type HostCommand =
  | { readonly op: "load" }
  /**
   * Builds an app with `createApp()` and serves it on `address` (a Unix socket path or a Windows pipe): the app
   * itself listens on a loopback TCP port and sees each connection come from 127.0.0.1, as from a browser on the
   * same machine; what arrives on `address` is relayed to it. With
   * `production`, NODE_ENV is "production" from now until the next reset, and the app's modules are a second copy
   * evaluated afresh, so that options read at import see it.
   */
  | {
      readonly op: "create";
      readonly address: string;
      readonly production: boolean;
      /**
       * With `production`: COOKIE_SECRET is unset ("unset") or empty ("empty") until the next reset, and the modules
       * are a copy of their own, evaluated afresh (a server must refuse to start in production without its secret,
       * whenever it reads it).
       */
      readonly withoutSecret?: "unset" | "empty";
      /**
       * With `production`, how HTTPS reaches the app: "tls", to the app itself (its connections are encrypted, as an
       * https server's are); "proxy", ended by a proxy in front of it (plain connections from loopback, which the
       * grader's requests mark with X-Forwarded-Proto: https).
       */
      readonly deployment?: Deployment;
    }
  /** Freezes `Date` at this moment (milliseconds), or gives the real clock back (null). */
  | { readonly op: "clock"; readonly now: number | null }
  /** Between checks: every app's server closed, the real clock back, NODE_ENV back to development. */
  | { readonly op: "reset" }
  | { readonly op: "ping" };

/** How HTTPS reaches an app in production (see the create command). */
export type Deployment = "tls" | "proxy";

/** A command as sent: with an id that its answer repeats. */
export type HostRequest = HostCommand & { readonly id: number };

/**
 * Why the app's code could not do what was asked, in kinds the grader tells apart: for the learner's message only.
 * No verdict rests on an answer (an app can make its process answer anything): whether an app refused to start is
 * judged by whether it listens where it was to serve, or ended its process (AppSession.startWithoutSecret).
 */
export type HostErrorKind =
  "missing-create-app" | "load-failed" | "create-app-threw" | "not-an-app" | "listen-failed" | "bad-request";

/** What the app process sends: answers, and reports of its own. */
export type HostMessage =
  | { readonly op: "ready" }
  | { readonly op: "answer"; readonly id: number; readonly ok: true }
  | {
      readonly op: "answer";
      readonly id: number;
      readonly ok: false;
      readonly kind: HostErrorKind;
      readonly message: string;
    }
  /** The app called process.exit (reported just before the exit happens). */
  | { readonly op: "exit-called"; readonly code: string }
  /** An error nobody caught: the process ends after this. */
  | { readonly op: "uncaught"; readonly message: string };

const ERROR_KINDS: ReadonlySet<string> = new Set<HostErrorKind>([
  "missing-create-app",
  "load-failed",
  "create-app-threw",
  "not-an-app",
  "listen-failed",
  "bad-request",
]);

/** Longest text kept from one message, in characters: an app may send anything, and as much as it likes. */
const MAX_TEXT = 4_096;

/**
 * A message from the app process, checked field by field, or undefined when it is not one we know. Strings are
 * cut to {@link MAX_TEXT}; nothing else of the value is kept.
 */
export function readHostMessage(value: unknown): HostMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Record<string, unknown>;
  // Cut between characters, and made well-formed: JSON.parse gives back any lone surrogate an app escaped (\ud800).
  const text = (field: unknown) => (typeof field === "string" ? wellFormed(cutCodePoints(field, MAX_TEXT)) : undefined);
  switch (message.op) {
    case "ready":
      return { op: "ready" };
    case "answer": {
      if (typeof message.id !== "number" || !Number.isSafeInteger(message.id)) return undefined;
      if (message.ok === true) return { op: "answer", id: message.id, ok: true };
      const kind =
        typeof message.kind === "string" && ERROR_KINDS.has(message.kind) ? (message.kind as HostErrorKind) : undefined;
      const detail = text(message.message);
      if (message.ok !== false || kind === undefined || detail === undefined) return undefined;
      return { op: "answer", id: message.id, ok: false, kind, message: detail };
    }
    case "exit-called":
      return { op: "exit-called", code: text(message.code) ?? "" };
    case "uncaught":
      return { op: "uncaught", message: text(message.message) ?? "" };
    default:
      return undefined;
  }
}

/** The longest line kept from the app process: longer ones are dropped whole (no message of ours comes near it). */
export const MAX_LINE_BYTES = 64 * 1024;

/**
 * Splits what the app process writes into lines, keeping at most {@link MAX_LINE_BYTES} of one: an app may write
 * without ever ending a line, or a gigabyte in one. A line too long is dropped up to its end, and reading goes on.
 */
export class LineReader {
  #parts: Buffer[] = [];
  #size = 0;
  #dropping = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
      this.#keep(chunk.subarray(start, end));
      if (!this.#dropping) this.onLine(Buffer.concat(this.#parts).toString("utf8"));
      this.#parts = [];
      this.#size = 0;
      this.#dropping = false;
      start = end + 1;
    }
    this.#keep(chunk.subarray(start));
  }

  #keep(part: Buffer): void {
    if (this.#dropping || part.length === 0) return;
    if (this.#size + part.length > MAX_LINE_BYTES) {
      this.#parts = [];
      this.#size = 0;
      this.#dropping = true;
      return;
    }
    // A copy: the chunk's memory is reused by the stream.
    this.#parts.push(Buffer.from(part));
    this.#size += part.length;
  }
}
