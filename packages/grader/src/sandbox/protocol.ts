/**
 * The control channel between the grader and a graded app's process (Node's IPC, JSON). The grader asks, the app
 * process answers; everything that comes back is untrusted input, read only through {@link readHostMessage}.
 */

/** What the grader asks of the app process. */
export type HostCommand =
  | { readonly op: "load" }
  /**
   * Builds an app with `createApp()` and serves it on `address` (a Unix socket path or a Windows pipe). With
   * `production`, NODE_ENV is "production" from now until the next reset, and the app's modules are a second copy
   * evaluated afresh, so that options read at import see it.
   */
  | { readonly op: "create"; readonly address: string; readonly production: boolean }
  /** Freezes `Date` at this moment (milliseconds), or gives the real clock back (null). */
  | { readonly op: "clock"; readonly now: number | null }
  /** Between checks: every app's server closed, the real clock back, NODE_ENV back to development. */
  | { readonly op: "reset" }
  | { readonly op: "ping" };

/** A command as sent: with an id that its answer repeats. */
export type HostRequest = HostCommand & { readonly id: number };

/** Why the app's code could not do what was asked, in kinds the grader tells apart. */
export type HostErrorKind = "missing-create-app" | "load-failed" | "create-app-threw" | "not-an-app" | "listen-failed" | "bad-request";

/** What the app process sends: answers, and reports of its own. */
export type HostMessage =
  | { readonly op: "ready" }
  | { readonly op: "answer"; readonly id: number; readonly ok: true }
  | { readonly op: "answer"; readonly id: number; readonly ok: false; readonly kind: HostErrorKind; readonly message: string }
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

/** Longest text kept from one message: an app may send anything, and as much as it likes. */
const MAX_TEXT = 4_096;

/**
 * A message from the app process, checked field by field, or undefined when it is not one we know. Strings are
 * cut to {@link MAX_TEXT}; nothing else of the value is kept.
 */
export function readHostMessage(value: unknown): HostMessage | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const message = value as Record<string, unknown>;
  const text = (field: unknown) => (typeof field === "string" ? field.slice(0, MAX_TEXT) : undefined);
  switch (message.op) {
    case "ready":
      return { op: "ready" };
    case "answer": {
      if (typeof message.id !== "number" || !Number.isSafeInteger(message.id)) return undefined;
      if (message.ok === true) return { op: "answer", id: message.id, ok: true };
      const kind = typeof message.kind === "string" && ERROR_KINDS.has(message.kind) ? (message.kind as HostErrorKind) : undefined;
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
