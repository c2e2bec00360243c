import { request, type IncomingHttpHeaders } from "node:http";
import { describeIgnored, judgeSetCookie } from "@cookie-course/cookie-testing";
import { parseSetCookie, type Cookie } from "set-cookie-parser";
import { AppEndedError } from "../sandbox/app-process.js";
import { cutCodePoints, cutUtf16 } from "../sandbox/text.js";
import { describeEnd, learnerText } from "./end-cause.js";
import type { App } from "./session.js";

/** One request sent to the app and what came back: the material of every check and of its failure message. */
export interface Exchange {
  readonly method: "GET" | "POST";
  readonly path: string;
  /** The Cookie header sent, if any. */
  readonly cookie: string | undefined;
  readonly status: number;
  readonly contentType: string | undefined;
  /** Where a redirect points (the Location header), if anywhere. */
  readonly location?: string;
  /** The form a POST sent (application/x-www-form-urlencoded), as fields. */
  readonly form?: Readonly<Record<string, string>>;
  /** The raw Set-Cookie lines, in order. */
  readonly setCookie: readonly string[];
  readonly body: string;
}

/** The app gave no answer: it hangs, loops, or its process ended. The message says which. */
export class NoResponseError extends Error {
  override name = "NoResponseError";
}

/** The host name requests carry, and that cookies are judged for (as a browser at http://localhost would). */
export const REQUEST_HOST = "localhost";

/**
 * The headers a browser sends with a page request (Chromium's, for a link or a button on the app's own page): an app
 * answers the grader as it answers a visitor. Without them, `if (req.get("user-agent"))` told the grader apart and
 * kept a hole for browsers alone, `res.format` picked another type than a browser gets, and a GET /logout that logged
 * out only when `Sec-Fetch-Mode` came along passed "a GET cannot log anyone out". (A determined app can still tell a
 * Unix socket from TCP, a missing Accept-Encoding, or a frozen clock: a verdict is an app's behaviour, and its code is
 * there to read.)
 */
const BROWSER_HEADERS: Readonly<Record<string, string>> = {
  "sec-ch-ua": '"Chromium";v="131", "Not_A Brand";v="24"',
  "sec-ch-ua-mobile": "?0",
  "sec-ch-ua-platform": '"Linux"',
  "upgrade-insecure-requests": "1",
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8",
  // Fetch Metadata: a navigation the visitor started on one of the app's own pages.
  "sec-fetch-site": "same-origin",
  "sec-fetch-mode": "navigate",
  "sec-fetch-user": "?1",
  "sec-fetch-dest": "document",
  "accept-language": "en-US,en;q=0.9",
};

/** The most of a response body kept: an app may answer with gigabytes. */
const MAX_BODY_BYTES = 1_000_000;

/**
 * Sends `GET path` to the app, with a Cookie header when given, after setting its clock as the check asked. Never
 * waits longer than the request limit; when the app does not answer, finds out why (a loop, a stopped or ended
 * process) and says so. Redirects are not followed: a check reads `location`.
 */
export function get(app: App, path: string, cookie?: string, navigation?: Navigation): Promise<Exchange> {
  return exchange(app, { method: "GET", path, cookie, ...(navigation ? { navigation } : {}) });
}

/**
 * Fetch Metadata and Referer of a navigation that did not start on the app's own page (typed in the address bar,
 * a link on another site): they replace the defaults of {@link BROWSER_HEADERS}; `undefined` leaves one out.
 */
export type Navigation = Readonly<Record<"sec-fetch-site" | "sec-fetch-mode" | "sec-fetch-user" | "referer", string | undefined>>;

/** Sends `POST path` with a form (application/x-www-form-urlencoded), as a browser submits one; see {@link get}. */
export function post(app: App, path: string, form: Readonly<Record<string, string>>, cookie?: string): Promise<Exchange> {
  return exchange(app, { method: "POST", path, cookie, form });
}

interface Outgoing {
  readonly method: Exchange["method"];
  readonly path: string;
  readonly cookie: string | undefined;
  readonly form?: Readonly<Record<string, string>>;
  readonly navigation?: Navigation;
}

async function exchange(app: App, outgoing: Outgoing): Promise<Exchange> {
  const { session } = app;
  const { method, path, cookie, form } = outgoing;
  const route = `${method} ${path}`;
  const limitMs = session.limits.requestMs;
  const hung = session.hungPaths.get(route);
  if (hung !== undefined) throw new NoResponseError(`An earlier check sent this too, and it is not sent again. ${hung}`);
  try {
    await session.prepare(app);
  } catch (error) {
    throw await noResponse(app, route, error);
  }
  let response: { status: number; headers: IncomingHttpHeaders; body: string };
  try {
    response = await send(app.address, outgoing, limitMs);
  } catch (error) {
    throw await noResponse(app, route, error);
  }
  const header = response.headers["set-cookie"];
  const location = response.headers.location;
  return {
    method,
    path,
    cookie,
    status: response.status,
    contentType: response.headers["content-type"],
    ...(location === undefined ? {} : { location }),
    ...(form === undefined ? {} : { form }),
    setCookie: header ?? [],
    body: response.body,
  };
}

/** Why a request got no answer, told to the learner; a process that no longer answers at all is ended. */
async function noResponse(app: App, route: string, error: unknown): Promise<NoResponseError> {
  const { session, process } = app;
  if (error instanceof AppEndedError || process.ended) {
    const cause = process.ended ?? (error as AppEndedError).endCause;
    return new NoResponseError(`${route} got no response: ${describeEnd(cause, session.limits)}`);
  }
  if (error instanceof TimedOut || !(error instanceof Error) || (error as NodeJS.ErrnoException).code === undefined) {
    // Marked at once: a check running beside this one must not send it again while the cause is being found.
    session.hungPaths.set(route, `${route} got no response.`);
    const message = await whyHung(app, route);
    session.hungPaths.set(route, message);
    return new NoResponseError(message);
  }
  // The connection broke: most often because the process is ending. Wait a moment to learn why.
  const ended = await process.waitForEnd(2_000);
  return new NoResponseError(`${route} got no response: ${ended ? describeEnd(ended, session.limits) : (error as Error).message}`);
}

/** Why a request hung, in words: a loop or a stop (then the process is ended), an end, or a handler that never answers. */
async function whyHung(app: App, route: string): Promise<string> {
  const { session, process } = app;
  // A handler that never answers leaves the app responsive; a loop or a stop leaves nothing that answers.
  const ended = await process.waitForEnd(0);
  const unresponsive = ended ? undefined : await process.whyUnresponsive(session.probeWindow());
  if (unresponsive) {
    process.kill(unresponsive);
    return `${route} got no response: ${describeEnd(await process.waitForEnd(5_000) ?? { kind: "unresponsive", stopped: false }, session.limits)}`;
  }
  if (ended) return `${route} got no response: ${describeEnd(ended, session.limits)}`;
  return `${route} got no response within ${session.limits.requestMs / 1000} s.`;
}

class TimedOut extends Error {}

/** One HTTP/1.1 request over the app's socket, read whole (up to {@link MAX_BODY_BYTES}). */
function send(address: string, { method, path, cookie, form, navigation }: Outgoing, limitMs: number): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: REQUEST_HOST, ...BROWSER_HEADERS, connection: "close" };
    if (cookie !== undefined) headers.cookie = cookie;
    for (const [name, value] of Object.entries(navigation ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = String(Buffer.byteLength(body));
      // A form a browser submits from the app's own page: same origin.
      headers.origin = `http://${REQUEST_HOST}`;
    }
    const outgoing = request({ socketPath: address, path, method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      });
      incoming.on("end", () => {
        clearTimeout(timer);
        resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: Buffer.concat(chunks).toString("utf8") });
      });
      incoming.on("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new TimedOut());
    }, limitMs);
    outgoing.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(body);
  });
}

/** The Set-Cookie entries of an exchange for one cookie name, values percent-decoded. */
export function setCookiesFor(exchange: Exchange, name: string): Cookie[] {
  return parseSetCookie([...exchange.setCookie]).filter((cookie) => cookie.name === name);
}

/** Whether the response is an HTML page (Express's res.send of a string is text/html). */
export function isHtml(exchange: Exchange): boolean {
  return /^text\/html\b/i.test(exchange.contentType ?? "");
}

/** Why an answer is not the HTML page a check asked for, naming the status or the Content-Type that is wrong. */
export function notAnHtmlPage(exchange: Exchange): string {
  const request = `${exchange.method} ${exchange.path}`;
  if (exchange.status !== 200) return `${request} answered ${exchange.status}, not 200 with an HTML page.`;
  if (exchange.contentType === undefined) return `${request} answered with no Content-Type header: a browser is not told that it is an HTML page (text/html).`;
  return `${request} answered with Content-Type ${exchange.contentType}, not an HTML page (text/html).`;
}

/**
 * The exchange written out for a learner: the request, the status, and each Set-Cookie attribute by attribute,
 * so the difference from what was expected can be seen at a glance.
 */
export function describeExchange(exchange: Exchange, cookieName?: string): string {
  const lines = [`Sent:     ${exchange.method} ${exchange.path}  ${exchange.cookie === undefined ? "(no Cookie header)" : `Cookie: ${describeCookieHeader(exchange.cookie)}`}`];
  if (exchange.form !== undefined) lines.push(`          form: ${new URLSearchParams(exchange.form).toString() || "(empty)"}`);
  lines.push(`Received: ${exchange.status} ${exchange.contentType === undefined ? "(no Content-Type header)" : `Content-Type: ${exchange.contentType}`}`);
  if (exchange.location !== undefined) lines.push(`          Location: ${JSON.stringify(exchange.location)}`);
  const relevant = exchange.setCookie.filter((line) => cookieName === undefined || parseSetCookie(line)[0]?.name === cookieName);
  if (exchange.setCookie.length === 0) lines.push("          (no Set-Cookie header)");
  else if (relevant.length === 0) {
    const names = parseSetCookie([...exchange.setCookie]).map((cookie) => cookie.name);
    lines.push(`          (no Set-Cookie for ${cookieName}; it sets: ${names.join(", ")})`);
  }
  for (const line of relevant) lines.push(...describeSetCookie(line).map((text) => `          ${text}`));
  if (exchange.status >= 500) lines.push(`          body: ${crashExcerpt(exchange.body)}`);
  return lines.join("\n");
}

/**
 * One Set-Cookie line, attribute by attribute as sent (Expires as written, never reinterpreted), then what a
 * browser makes of it when that differs: the line rejected, or an attribute ignored.
 */
function describeSetCookie(line: string): string[] {
  const [cookie] = parseSetCookie(line, { decodeValues: false });
  if (!cookie) return [`Set-Cookie ${JSON.stringify(line)}`];
  const yes = (flag: boolean | undefined) => (flag ? "yes" : "no");
  const expires = /;\s*expires\s*=\s*([^;]*)/i.exec(line)?.[1]?.trim();
  const described = [
    `Set-Cookie ${cookie.name} = ${shownValue(cookie.value)}`,
    `  Path: ${cookie.path ?? "—"}  Domain: ${cookie.domain ?? "—"}  Expires: ${expires ?? "—"}  Max-Age: ${cookie.maxAge ?? "—"}`,
    `  HttpOnly: ${yes(cookie.httpOnly)}  Secure: ${yes(cookie.secure)}  SameSite: ${cookie.sameSite ?? "—"}`,
  ];
  const verdict = judgeSetCookie(line, `http://${REQUEST_HOST}/`);
  if (!verdict.accepted) described.push(`  ⚠ ${verdict.reason}`);
  else for (const ignored of verdict.ignored) described.push(`  ⚠ a browser ignores ${describeIgnored(ignored)}`);
  return described;
}

/**
 * A Cookie header as the app reads it: each value percent-decoded (as cookie-parser does), then the header as sent
 * when that differs, so that `%3C` is seen as `<` without hiding what went over the wire.
 */
function describeCookieHeader(header: string): string {
  const pairs = header.split(";").map((pair) => {
    const at = pair.indexOf("=");
    return at === -1 ? { name: pair.trim(), value: undefined } : { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
  });
  const decoded = pairs.map(({ name, value }) => (value === undefined ? name : `${name} = ${JSON.stringify(percentDecoded(value))}`)).join("; ");
  const changed = pairs.some(({ value }) => value !== undefined && percentDecoded(value) !== value);
  return changed ? `${decoded}\n          (as sent: ${JSON.stringify(header)})` : decoded;
}

/** A cookie's value in quotes, decoded, and as sent beside it when the two differ. */
function shownValue(raw: string): string {
  const decoded = percentDecoded(raw);
  return decoded === raw ? JSON.stringify(raw) : `${JSON.stringify(decoded)}  (as sent: ${JSON.stringify(raw)})`;
}

/** Percent-decoding as cookie-parser does it: a value that is not valid percent-encoding stays as it is. */
function percentDecoded(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * The start of a page as text, for messages: tags stripped, white space folded, control characters shown as
 * `\u001b` (a page of terminal escape codes must not paint the grader's scoreboard). Only the page's start is read,
 * and the tag pattern cannot backtrack: `<[^>]*>` over a megabyte of `<` would hold the grader for an hour.
 */
/**
 * A 500 page as the learner needs it: Express's error page in development is the stack, HTML-escaped; told as the
 * error and the line of their code (src/app.ts:26), not as the grader's staging paths.
 */
function crashExcerpt(body: string): string {
  const decoded = excerpt(body, 2_000)
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    // Express's page folds the stack into one line: give each frame its own again.
    .replace(/\s+at\s+/g, "\n    at ");
  return shortened(learnerText(decoded), 300);
}

export function excerpt(body: string, length = 160): string {
  const text = cutUtf16(body, 64 * length)
    .replace(/<[^<>]*>/g, " ")
    .replace(/\s+/g, " ")
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001F\u007F-\u009F]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`)
    .trim();
  return text === "" ? "(empty)" : shortened(text, length);
}

/** At most `length` characters of `text` (never half of one: an emoji cut in two is no text), marked when cut. */
function shortened(text: string, length: number): string {
  const kept = cutCodePoints(text, length);
  return kept.length < text.length ? `${kept}…` : kept;
}
