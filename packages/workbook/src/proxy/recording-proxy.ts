import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { pipeline } from "node:stream";
import { html } from "@cookie-course/cookie-utils";
import { renderAppOutput } from "../app-output.js";
import type { CookieRecorder, ObservedExchange } from "./recorder.js";
import { showControlCharacters, shorten } from "./words.js";

export interface RecordingProxyOptions {
  /**
   * Where the learner's app listens (`http://127.0.0.1:PORT`), or undefined when it is not running. A promise while
   * the app starts, or restarts after a save: the request waits for it rather than fail.
   */
  readonly target: () => URL | undefined | Promise<URL | undefined>;
  readonly recorder: CookieRecorder;
  /** Why the app is not running, in a sentence for the learner ("it stopped: SyntaxError in src/app.ts"). */
  readonly unavailable?: (() => string | undefined) | undefined;
  /** What the app printed last, shown on the page that says it did not answer: it usually says why. */
  readonly printed?: (() => string) | undefined;
  /** How long a request waits for the app's answer (its status and headers): {@link ANSWER_TIMEOUT_MS} unless told. */
  readonly answerTimeoutMs?: number | undefined;
  /** Told whether the app answered each request it was sent, or not within `answerTimeoutMs` (with the reason). */
  readonly onAnswer?: ((answer: { answered: true } | { answered: false; reason: string }) => void) | undefined;
}

/**
 * How long a request waits for the app to start answering. The grader allows 3 s per request; the workbook's app
 * runs on the learner's machine while the grader grades the same save, and a learner's app may do slow work on
 * purpose (a hashed password): 10 s is far past any handler that works, and short enough that a learner whose
 * handler loops, or never answers, is told so while still looking at the page. Only the answer's head is timed: a
 * response the app streams slowly once it has started is the app's business.
 */
export const ANSWER_TIMEOUT_MS = 10_000;

/** How the proxy ends a request the app did not answer in time: a code of its own, never retried. */
const NO_ANSWER = "WORKBOOK_NO_ANSWER";

/** An Express-compatible handler: `(req, res, next)`. It answers every request itself, so `next` is never called. */
export type ProxyHandler = (
  req: IncomingMessage & { originalUrl?: string },
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * RFC 9110 §7.6.1: fields that describe one connection, not the message. A proxy must not forward them, because
 * each hop frames and keeps its own connection: Node writes the workbook's own Connection, Keep-Alive and
 * Transfer-Encoding for each side (re-chunking a chunked body, keeping a Content-Length as it is). Fields the
 * Connection header names are removed too. Everything else passes unchanged, in order, duplicates included.
 */
/** How a connection to an app that is restarting fails: refused before it listens, reset as it ends. */
const RESTARTING = new Set(["ECONNREFUSED", "ECONNRESET"]);

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "transfer-encoding",
  "upgrade",
  "trailer",
]);

/**
 * Serves the learner's app through the workbook's origin and records, for each exchange, the Cookie header sent
 * and the Set-Cookie lines received.
 *
 * node:http directly rather than a proxy library: http-proxy has had no release since 2020 and rewrites headers
 * (it adds X-Forwarded-* on request and can rewrite Host), and the whole point here is to change nothing. Raw
 * headers (`rawHeaders`) keep case, order and duplicates; Host stays the browser's, so the app sees the address
 * the browser used, and cookies and redirects behave as they would for the app on its own.
 */
export function recordingProxy({
  target,
  recorder,
  unavailable,
  printed,
  answerTimeoutMs = ANSWER_TIMEOUT_MS,
  onAnswer,
}: RecordingProxyOptions): ProxyHandler {
  return (req, res) => {
    const at = new Date();
    const path = req.originalUrl ?? req.url ?? "/";
    const method = req.method ?? "GET";
    const cookieHeader = req.headers.cookie;
    // The panel is a bystander: whatever goes wrong in it, the app's traffic passes.
    const record = (exchange: Omit<ObservedExchange, "method" | "path" | "cookieHeader" | "at">) => {
      try {
        recorder.record({ method, path, cookieHeader, at, ...exchange });
      } catch (error) {
        console.error(`The workbook could not record ${method} ${path} for the cookie panel:`, error);
      }
    };
    const failed = (cause: string) => {
      record({ status: 502, setCookie: [], notes: [`The app did not answer: ${cause}`] });
      sendUnavailable(res, cause, printed?.());
    };

    // A request without a body may be sent again once: the app can restart (after a save) just as it arrives.
    let retried = false;
    const forward = (url: URL) => {
      let browserGone = false;
      const upstream = http.request({
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port,
        method,
        path,
        // The same array format as rawHeaders: written as given, so nothing (not even Host) is added or reordered.
        headers: endToEnd(req.rawHeaders),
        // A fresh connection each time: the app restarts often while a learner works, and a pooled connection to a
        // process that has gone away fails the next request with ECONNRESET.
        agent: false,
        // Chromium reads a response whose header holds a control character; Node's strict parser refuses the whole
        // response. Reading leniently lets the panel show the Set-Cookie line, rejected, as Chromium would treat it.
        // The app is the learner's own, on this machine: there is no one to smuggle requests past.
        insecureHTTPParser: true,
      });
      const noAnswer = setTimeout(() => {
        upstream.destroy(Object.assign(new Error(`no answer within ${answerTimeoutMs} ms`), { code: NO_ANSWER }));
      }, answerTimeoutMs);

      upstream.on("response", (answer) => {
        clearTimeout(noAnswer);
        onAnswer?.({ answered: true });
        const { headers, dropped } = writable(endToEnd(answer.rawHeaders));
        record({
          status: answer.statusCode ?? 502,
          setCookie: rawValues(answer.rawHeaders, "set-cookie"),
          notes: dropped.map(
            ([name, value]) =>
              `The workbook could not pass on the header "${name}: ${shorten(showControlCharacters(value))}": Node refuses to send a control character in a header.` +
              (name.toLowerCase() === "set-cookie"
                ? " A browser ignores a Set-Cookie line that holds one, so the app behaves the same for cookies."
                : ""),
          ),
        });
        // Headers set before the proxy ran (Express's X-Powered-By) are not the app's: remove them. Then each name is
        // set once with all its values, in order, and Node writes one line per value. Not writeHead(status, rawArray):
        // once any header has been set on the response, Node 20 turns that array into setHeader calls and keeps only
        // the last Set-Cookie. Lines of one name keep their order; the order of different names is not significant
        // (RFC 9110 §5.3), and here follows each name's first line.
        for (const name of res.getHeaderNames()) res.removeHeader(name);
        for (const [name, values] of groupedByName(headers))
          res.setHeader(name, values.length === 1 ? values[0]! : values);
        // The app's Date (or none) rather than one Node adds.
        res.sendDate = false;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage);
        // Each chunk is written as it arrives: a streamed response stays streamed.
        pipeline(answer, res, () => {
          // Either side went away mid-body (the app crashed, the browser navigated away): pipeline has destroyed both.
        });
      });

      upstream.on("error", (error: NodeJS.ErrnoException) => {
        clearTimeout(noAnswer);
        req.unpipe(upstream);
        if (browserGone) return;
        if (error.code === NO_ANSWER) {
          const reason = describeNoAnswer(method, path, answerTimeoutMs);
          onAnswer?.({ answered: false, reason });
          failed(reason);
        } else if (res.headersSent) res.destroy(error);
        else if (!retried && (method === "GET" || method === "HEAD") && RESTARTING.has(error.code ?? "")) {
          retried = true;
          send();
        } else failed(describeUpstreamError(error, url, method, path));
      });

      // The browser gave up (closed the tab, navigated away): stop asking the app.
      res.on("close", () => {
        clearTimeout(noAnswer);
        if (res.writableFinished) return;
        browserGone = true;
        upstream.destroy();
      });

      // The body streams through as it comes; Content-Length is end-to-end and was forwarded with the headers.
      // A GET has no body, and a retried one has been read to its end already: nothing more to send.
      if (req.readableEnded) upstream.end();
      else req.pipe(upstream);
    };

    // While the app starts, or restarts after a save, the request waits for it (the body waits, unread).
    const send = () =>
      void Promise.resolve(target()).then(
        (url) => (url ? forward(url) : failed(unavailable?.() ?? "the app is not running.")),
        (error: unknown) => failed(error instanceof Error ? error.message : String(error)),
      );
    send();
  };
}

/** The raw header array without hop-by-hop fields, nor those the Connection header names (RFC 9110 §7.6.1). */
function endToEnd(raw: readonly string[]): string[] {
  const named = new Set(HOP_BY_HOP);
  for (const value of rawValues(raw, "connection")) {
    for (const token of value.split(",")) named.add(token.trim().toLowerCase());
  }
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    if (!named.has(name.toLowerCase())) kept.push(name, raw[index + 1]!);
  }
  return kept;
}

/** Every value of one header, in order, from a raw header array. */
function rawValues(raw: readonly string[], wanted: string): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() === wanted) values.push(raw[index + 1]!);
  }
  return values;
}

/** A raw header array as [name as first written, values in order], names in the order they first appear. */
function groupedByName(raw: readonly string[]): [string, string[]][] {
  const groups = new Map<string, [string, string[]]>();
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    const group = groups.get(name.toLowerCase());
    if (group) group[1].push(raw[index + 1]!);
    else groups.set(name.toLowerCase(), [name, [raw[index + 1]!]]);
  }
  return [...groups.values()];
}

/** The headers Node will write, and those it would refuse (a control character read by the lenient parser). */
function writable(raw: readonly string[]): { headers: string[]; dropped: [string, string][] } {
  const headers: string[] = [];
  const dropped: [string, string][] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    const name = raw[index]!;
    const value = raw[index + 1]!;
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
      headers.push(name, value);
    } catch {
      dropped.push([name, value]);
    }
  }
  return { headers, dropped };
}

/** Why the app did not answer, in a sentence a learner can act on. */
export function describeUpstreamError(error: NodeJS.ErrnoException, url: URL, method: string, path: string): string {
  const where = `${url.hostname}:${url.port}`;
  switch (error.code) {
    case "ECONNREFUSED":
      return `nothing listens at ${where}: the app is not running (it may be starting, or it stopped).`;
    case "ECONNRESET":
      return `the app closed the connection without answering ${method} ${path}: it may have crashed while handling it.`;
    case "ETIMEDOUT":
      return `the app at ${where} did not accept the connection in time.`;
    default:
      if (error.code?.startsWith("HPE_"))
        return `the app's answer to ${method} ${path} is not HTTP the workbook can read (${error.message}).`;
      return `the workbook could not reach the app at ${where}: ${error.message}${error.code ? ` (${error.code})` : ""}.`;
  }
}

/** A request the app did not answer in time, and the two likely causes, in words a learner can act on. */
export function describeNoAnswer(method: string, path: string, timeoutMs: number): string {
  const seconds = timeoutMs >= 1000 ? `${String(Math.round(timeoutMs / 1000))} s` : `${String(timeoutMs)} ms`;
  return (
    `the app got ${method} ${path} and sent no answer within ${seconds}. The likely cause: a loop that never ends (a while or for whose ` +
    "condition stays true), or a handler that never answers (on some path through it, it calls none of res.send(), res.redirect(), " +
    "res.end() or next()). Fix it and save: the workbook starts the app again with your new code."
  );
}

/**
 * A short page in place of the app's: 502, "the app is not answering", why, and what the app printed last (its
 * own words usually say what went wrong).
 */
function sendUnavailable(res: ServerResponse, cause: string, printed: string | undefined): void {
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The app is not answering</title>
</head>
<body>
<main>
<h1>The app is not answering</h1>
<p>${cause}</p>
${
  printed === undefined
    ? ""
    : html`<h2>What the app printed last</h2>
${renderAppOutput(printed)}`
}
<p>The workbook shows the app here as soon as it answers again: reload this page then.</p>
<p><a href="/" target="_top">Back to the workbook</a></p>
</main>
</body>
</html>
`.toString();
  res.writeHead(502, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Length": Buffer.byteLength(page),
    // An error page must not stand in for the app once it is back.
    "Cache-Control": "no-store",
  });
  res.end(page);
}
