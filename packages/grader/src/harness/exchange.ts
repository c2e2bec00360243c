import { request, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import type { Readable } from "node:stream";
import zlib from "node:zlib";
import { describeIgnored, judgeSetCookie } from "@cookie-course/cookie-testing";
import { parseSetCookie, type Cookie } from "set-cookie-parser";
import { AppEndedError, type EndCause } from "../sandbox/app-process.js";
import { cutCodePoints, cutUtf16 } from "../sandbox/text.js";
import { describeEnd, learnerText } from "./end-cause.js";
import type { Deployment } from "../sandbox/protocol.js";
import type { GradingLimits } from "../shared.js";
import type { App } from "./session.js";

/** One request sent to the app and what came back: the material of every check and of its failure message. */
export interface Exchange {
  readonly method: "GET" | "POST";
  readonly path: string;
  /** The Cookie header sent, if any. */
  readonly cookie: string | undefined;
  /** For a production app: how HTTPS reached it (to the app itself, or ended by a proxy in front of it). */
  readonly deployment?: Deployment;
  readonly status: number;
  readonly contentType: string | undefined;
  /** Where a redirect points (the Location header), if anywhere. */
  readonly location?: string;
  /** The form a POST sent (application/x-www-form-urlencoded), as fields. */
  readonly form?: Readonly<Record<string, string>>;
  /** The Origin header a POST sent (the app's own, with its port), for messages. */
  readonly origin?: string;
  /** The raw Set-Cookie lines, in order. */
  readonly setCookie: readonly string[];
  readonly body: string;
}

/** The app gave no answer: it hangs, loops, or its process ended. The message says which. */
/** Why a request got no answer, as data: what the learner is told follows from it, never the other way round. */
export type NoResponse =
  /** The app's process ended, or was ended (a loop, a stop, its memory): the cause is in the message. */
  | { readonly kind: "ended"; readonly cause: EndCause }
  /** The app still answers, but this handler never did within the request's limit. */
  | { readonly kind: "never-answered" }
  /** The connection broke, or the body could not be read. */
  | { readonly kind: "broken" };

export class NoResponseError extends Error {
  override name = "NoResponseError";
  readonly why: NoResponse;
  constructor(message: string, why: NoResponse) {
    super(message);
    this.why = why;
  }
}

/**
 * The host (with its port) that requests carry, and that cookies are judged for: a browser at
 * http://localhost:3000, where the learner runs the app (`pnpm dev`). Without the port, an Origin check that drops
 * it (`http://${req.hostname}`) passed, and refused every logout in a real browser.
 */
export const REQUEST_HOST = "localhost:3000";

/**
 * The content codings this grader can decode, in the order Chromium lists them (`gzip, deflate, br, zstd`; zstd
 * only on a Node whose zlib has it). A browser asks for compressed pages: a request without Accept-Encoding told
 * the grader apart.
 */
const DECODERS: Readonly<Record<string, () => NodeJS.ReadWriteStream>> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  // What browsers take as deflate: zlib-wrapped, or (from some servers) raw.
  deflate: () => zlib.createUnzip(),
  br: () => zlib.createBrotliDecompress(),
  ...zstdDecoder(),
};
const ACCEPTED_CODINGS = ["gzip", "deflate", "br", ...("zstd" in DECODERS ? ["zstd"] : [])].join(", ");

function zstdDecoder(): Record<string, () => NodeJS.ReadWriteStream> {
  const create = (zlib as unknown as { createZstdDecompress?: () => NodeJS.ReadWriteStream }).createZstdDecompress;
  return create ? { zstd: () => create.call(zlib) } : {};
}

/**
 * The headers a browser sends with a page request (Chromium's, for a link or a button on the app's own page), in the
 * order it sends them: an app answers the grader as it answers a visitor. Without them, `if (req.get("user-agent"))`
 * told the grader apart and kept a hole for browsers alone, `res.format` picked another type than a browser gets,
 * and a GET /logout that logged out only when `Sec-Fetch-Mode` came along passed "a GET cannot log anyone out". The
 * connection comes over TCP from 127.0.0.1 (host-main.ts relays it), as a browser's on the same machine.
 */
function browserHeaders(
  { method, path, cookie, navigation }: Outgoing,
  origin: string,
  body: string | undefined,
): Record<string, string> {
  const headers: Record<string, string> = { Host: REQUEST_HOST, Connection: "keep-alive" };
  if (body !== undefined) {
    headers["Content-Length"] = String(Buffer.byteLength(body));
    headers["Cache-Control"] = "max-age=0";
  }
  Object.assign(headers, {
    "sec-ch-ua": '"Chromium";v="131", "Not_A Brand";v="24"',
    "sec-ch-ua-mobile": "?0",
    "sec-ch-ua-platform": '"Linux"',
  });
  // A form a browser submits from the app's own page: same origin, with the port.
  if (body !== undefined)
    Object.assign(headers, { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" });
  Object.assign(headers, {
    "Upgrade-Insecure-Requests": "1",
    "User-Agent":
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    Accept:
      "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    // Fetch Metadata: a navigation the visitor started on one of the app's own pages.
    "Sec-Fetch-Site": "same-origin",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-User": "?1",
    "Sec-Fetch-Dest": "document",
    // The page the visitor came from: a form's own page (most post back where they are shown), or the home page.
    Referer: new URL(method === "POST" ? path : "/", origin).href,
    "Accept-Encoding": ACCEPTED_CODINGS,
    "Accept-Language": "en-US,en;q=0.9",
  });
  if (cookie !== undefined) headers.Cookie = cookie;
  // A navigation that did not start on the app's own page replaces the Fetch Metadata and Referer (undefined: none).
  for (const [name, value] of Object.entries(navigation ?? {})) {
    const sent = Object.keys(headers).find((key) => key.toLowerCase() === name);
    if (sent !== undefined) delete headers[sent];
    if (value !== undefined) headers[sent ?? name] = value;
  }
  return headers;
}

/**
 * What a proxy that ends HTTPS adds in front of a production app: the scheme the browser used, and the browser's
 * address (a documentation address, drawn per grading process: the app cannot count on one).
 */
const PROXY_CLIENT = `203.0.113.${1 + Math.floor(Math.random() * 254)}`;
const PROXY_HEADERS: Readonly<Record<string, string>> = {
  "X-Forwarded-For": PROXY_CLIENT,
  "X-Forwarded-Proto": "https",
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
export type Navigation = Readonly<
  Record<"sec-fetch-site" | "sec-fetch-mode" | "sec-fetch-user" | "referer", string | undefined>
>;

/** Sends `POST path` with a form (application/x-www-form-urlencoded), as a browser submits one; see {@link get}. */
export function post(
  app: App,
  path: string,
  form: Readonly<Record<string, string>>,
  cookie?: string,
): Promise<Exchange> {
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
  if (hung !== undefined)
    throw new NoResponseError(`An earlier check sent this too, and it is not sent again. ${hung.message}`, hung.why);
  try {
    await session.prepare(app);
  } catch (error) {
    throw await noResponse(app, route, error);
  }
  let response: { status: number; headers: IncomingHttpHeaders; body: string };
  try {
    response = await send(app, outgoing, limitMs);
  } catch (error) {
    if (error instanceof Undecodable)
      throw new NoResponseError(`${route} answered with a body a browser cannot read: ${error.message}`, {
        kind: "broken",
      });
    throw await noResponse(app, route, error);
  }
  const header = response.headers["set-cookie"];
  const location = response.headers.location;
  return {
    method,
    path,
    cookie,
    ...(app.deployment === undefined ? {} : { deployment: app.deployment }),
    status: response.status,
    contentType: response.headers["content-type"],
    ...(location === undefined ? {} : { location }),
    ...(form === undefined ? {} : { form, origin: originOf(app) }),
    setCookie: header ?? [],
    body: response.body,
  };
}

/** Why a request got no answer, told to the learner; a process that no longer answers at all is ended. */
async function noResponse(app: App, route: string, error: unknown): Promise<NoResponseError> {
  const { session, process } = app;
  if (error instanceof AppEndedError || process.ended) {
    const cause = process.ended ?? (error as AppEndedError).endCause;
    return ended(route, cause, session.limits);
  }
  if (error instanceof TimedOut || !(error instanceof Error) || (error as NodeJS.ErrnoException).code === undefined) {
    // Marked at once: a check running beside this one must not send it again while the cause is being found.
    session.hungPaths.set(route, { message: `${route} got no response.`, why: { kind: "never-answered" } });
    const hung = await whyHung(app, route);
    session.hungPaths.set(route, { message: hung.message, why: hung.why });
    return hung;
  }
  // The connection broke: most often because the process is ending. Wait a moment to learn why.
  const end = await process.waitForEnd(2_000);
  return end
    ? ended(route, end, session.limits)
    : new NoResponseError(`${route} got no response: ${(error as Error).message}`, { kind: "broken" });
}

function ended(route: string, cause: EndCause, limits: GradingLimits): NoResponseError {
  return new NoResponseError(`${route} got no response: ${describeEnd(cause, limits)}`, { kind: "ended", cause });
}

/** Why a request hung: a loop or a stop (then the process is ended), an end, or a handler that never answers. */
async function whyHung(app: App, route: string): Promise<NoResponseError> {
  const { session, process } = app;
  // A handler that never answers leaves the app responsive; a loop or a stop leaves nothing that answers.
  const end = await process.waitForEnd(0);
  const unresponsive = end ? undefined : await process.whyUnresponsive(session.probeWindow());
  if (unresponsive) {
    process.kill(unresponsive);
    return ended(route, (await process.waitForEnd(5_000)) ?? { kind: "unresponsive", stopped: false }, session.limits);
  }
  if (end) return ended(route, end, session.limits);
  return new NoResponseError(`${route} got no response within ${session.limits.requestMs / 1000} s.`, {
    kind: "never-answered",
  });
}

class TimedOut extends Error {}

/** The body came in a content coding a browser could not decode (one it never asked for, or broken data). */
class Undecodable extends Error {}

/**
 * One HTTP/1.1 request over the app's socket, as a browser at {@link REQUEST_HOST} sends it (over HTTPS in
 * production: through a proxy that ends it, or to the app itself), read whole (up to {@link MAX_BODY_BYTES},
 * decoded).
 */
function send(
  app: App,
  outgoing: Outgoing,
  limitMs: number,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const { method, path, form } = outgoing;
  const origin = originOf(app);
  const body = form === undefined ? undefined : new URLSearchParams(form).toString();
  const headers = { ...browserHeaders(outgoing, origin, body), ...(app.deployment === "proxy" ? PROXY_HEADERS : {}) };
  return new Promise((resolve, reject) => {
    // No agent: the connection is the request's alone, and ends with its answer (Connection: keep-alive is what a
    // browser asks for; this one is closed here, once the answer is read).
    const sent = request({ socketPath: app.address, path, method, headers, agent: false }, (incoming) => {
      readBody(incoming).then(
        (text) => {
          clearTimeout(timer);
          sent.destroy();
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text });
        },
        (error: unknown) => {
          clearTimeout(timer);
          sent.destroy();
          reject(error);
        },
      );
    });
    const timer = setTimeout(() => {
      sent.destroy();
      reject(new TimedOut());
    }, limitMs);
    sent.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    sent.end(body);
  });
}

/** The origin a browser shows the app at: http://localhost:3000 while developing, https in production. */
function originOf(app: App): string {
  return `${app.deployment === undefined ? "http" : "https"}://${REQUEST_HOST}`;
}

/**
 * A response's body as a browser reads it: decoded from each content coding named (the last applied first), as
 * text, up to {@link MAX_BODY_BYTES} of it (a small compressed body may unfold into gigabytes).
 */
function readBody(incoming: IncomingMessage): Promise<string> {
  const codings = (incoming.headers["content-encoding"] ?? "")
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== "" && coding !== "identity");
  const unknown = codings.find((coding) => !(coding in DECODERS));
  if (unknown !== undefined) {
    incoming.resume();
    return Promise.reject(
      new Undecodable(
        `Content-Encoding ${JSON.stringify(unknown)}, which the browser did not ask for (it asked for ${ACCEPTED_CODINGS}).`,
      ),
    );
  }
  const decoders = codings.reverse().map((coding) => DECODERS[coding]!());
  const stream = decoders.reduce<Readable>((from, decoder) => from.pipe(decoder) as unknown as Readable, incoming);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks).toString("utf8"));
    };
    stream.on("data", (chunk: Buffer) => {
      if (size >= MAX_BODY_BYTES) return;
      const kept = chunk.subarray(0, MAX_BODY_BYTES - size);
      chunks.push(kept);
      size += kept.length;
      // Enough of it: the rest is never read, nor unfolded.
      if (size >= MAX_BODY_BYTES && decoders.length > 0) {
        for (const decoder of decoders) (decoder as unknown as Readable).destroy();
        finish();
      }
    });
    stream.on("end", finish);
    const broken = (error: Error) => {
      if (done) return;
      done = true;
      reject(
        decoders.length > 0
          ? new Undecodable(`its ${codings.join(", ")} data does not decode (${error.message}).`)
          : error,
      );
    };
    for (const decoder of decoders) decoder.on("error", broken);
    incoming.on("error", (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
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
  if (exchange.contentType === undefined)
    return `${request} answered with no Content-Type header: a browser is not told that it is an HTML page (text/html).`;
  return `${request} answered with Content-Type ${exchange.contentType}, not an HTML page (text/html).`;
}

/**
 * The exchange written out for a learner: the request, the status, and each Set-Cookie attribute by attribute,
 * so the difference from what was expected can be seen at a glance.
 */
export function describeExchange(exchange: Exchange, cookieName?: string): string {
  const lines = [
    `Sent:     ${exchange.method} ${exchange.path}  ${exchange.cookie === undefined ? "(no Cookie header)" : `Cookie: ${describeCookieHeader(exchange.cookie)}`}`,
  ];
  if (exchange.deployment !== undefined) lines.push(`          ${DEPLOYMENT_WORDS[exchange.deployment]}`);
  if (exchange.form !== undefined) {
    const origin = exchange.origin === undefined ? "" : `  Origin: ${exchange.origin}`;
    lines.push(`          form: ${new URLSearchParams(exchange.form).toString() || "(empty)"}${origin}`);
  }
  lines.push(
    `Received: ${exchange.status} ${exchange.contentType === undefined ? "(no Content-Type header)" : `Content-Type: ${exchange.contentType}`}`,
  );
  if (exchange.location !== undefined) lines.push(`          Location: ${JSON.stringify(exchange.location)}`);
  const relevant = exchange.setCookie.filter(
    (line) => cookieName === undefined || parseSetCookie(line)[0]?.name === cookieName,
  );
  if (exchange.setCookie.length === 0) lines.push("          (no Set-Cookie header)");
  else if (relevant.length === 0) {
    const names = parseSetCookie([...exchange.setCookie]).map((cookie) => cookie.name);
    lines.push(`          (no Set-Cookie for ${cookieName}; it sets: ${names.join(", ")})`);
  }
  for (const line of relevant) lines.push(...describeSetCookie(line).map((text) => `          ${text}`));
  if (exchange.status >= 500) lines.push(`          body: ${crashExcerpt(exchange.body)}`);
  return lines.join("\n");
}

/** How a production request reached the app, in the learner's words. */
const DEPLOYMENT_WORDS: Readonly<Record<Deployment, string>> = {
  tls: "(in production, over HTTPS to the app itself: req.secure is true)",
  proxy:
    '(in production, through a proxy that ends HTTPS: a plain connection from 127.0.0.1 with X-Forwarded-Proto: https; req.secure is true only with app.set("trust proxy", "loopback"))',
};

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
    return at === -1
      ? { name: pair.trim(), value: undefined }
      : { name: pair.slice(0, at).trim(), value: pair.slice(at + 1).trim() };
  });
  const decoded = pairs
    .map(({ name, value }) => (value === undefined ? name : `${name} = ${JSON.stringify(percentDecoded(value))}`))
    .join("; ");
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
