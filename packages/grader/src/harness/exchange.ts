import { parseSetCookie, type Cookie } from "set-cookie-parser";
import { createServer, type Server } from "node:http";
import request from "supertest";
import { DEFAULT_LIMITS, LIMITS_ENV, type GradingLimits } from "../shared.js";
import { restoreIntrinsics } from "./isolation.js";
import type { App } from "./target.js";

/** How long a learner's app may take to answer one request before the check fails (a handler that never responds). */
const RESPONSE_TIMEOUT_MS = (JSON.parse(process.env[LIMITS_ENV] ?? "null") as GradingLimits | null)?.requestMs ?? DEFAULT_LIMITS.requestMs;

/** One request sent to the app and what came back: the material of every check and of its failure message. */
export interface Exchange {
  readonly method: "GET";
  readonly path: string;
  /** The Cookie header sent, if any. */
  readonly cookie: string | undefined;
  readonly status: number;
  readonly contentType: string | undefined;
  /** The raw Set-Cookie lines, in order. */
  readonly setCookie: readonly string[];
  readonly body: string;
}

export class NoResponseError extends Error {
  override name = "NoResponseError";
}

const servers = new WeakMap<App, Server>();

/**
 * One listening server per app: supertest would otherwise open and close a server for every request. Closed with
 * {@link closeServers} after each check.
 */
function serverFor(app: App): Server {
  let server = servers.get(app);
  if (!server) {
    server = createServer(app).listen(0, "127.0.0.1");
    servers.set(app, server);
    open.add(server);
  }
  return server;
}
const open = new Set<Server>();

export async function closeServers(): Promise<void> {
  const closing = [...open].map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
  for (const server of open) server.closeAllConnections();
  open.clear();
  await Promise.all(closing);
}

// Paths that already hung in this target: later checks fail at once instead of each waiting out the timeout.
const hungPaths = new Set<string>();
let scope = "";

/** Names the target and exercise being graded, so a hang is remembered for it alone. */
export function setExchangeScope(name: string): void {
  scope = name;
}

/** Sends `GET path` to the app, with a Cookie header when given; never waits longer than {@link RESPONSE_TIMEOUT_MS}. */
export async function get(app: App, path: string, cookie?: string): Promise<Exchange> {
  const key = `${scope}|${path}`;
  if (hungPaths.has(key)) throw new NoResponseError(`GET ${path} got no response (in an earlier check too).`);
  const pending = request(serverFor(app)).get(path).timeout({ response: RESPONSE_TIMEOUT_MS, deadline: RESPONSE_TIMEOUT_MS + 500 });
  if (cookie !== undefined) pending.set("Cookie", cookie);
  let response: request.Response;
  try {
    response = await pending;
  } catch (error) {
    restoreIntrinsics();
    if (error instanceof Error && /timeout/i.test(error.message)) {
      hungPaths.add(key);
      throw new NoResponseError(`GET ${path} got no response within ${RESPONSE_TIMEOUT_MS / 1000} s.`);
    }
    throw error;
  }
  // The app had its turn: whatever built-in it patched is put back before the grader looks at the answer.
  restoreIntrinsics();
  const header = response.headers["set-cookie"] as string[] | string | undefined;
  return {
    method: "GET",
    path,
    cookie,
    status: response.status,
    contentType: response.headers["content-type"] as string | undefined,
    setCookie: header === undefined ? [] : Array.isArray(header) ? header : [header],
    body: response.text ?? "",
  };
}

/** The Set-Cookie entries of an exchange for one cookie name, values percent-decoded. */
export function setCookiesFor(exchange: Exchange, name: string): Cookie[] {
  return parseSetCookie([...exchange.setCookie]).filter((cookie) => cookie.name === name);
}

/** Whether the response is an HTML page (Express's res.send of a string is text/html). */
export function isHtml(exchange: Exchange): boolean {
  return /^text\/html\b/i.test(exchange.contentType ?? "");
}

/**
 * The exchange written out for a learner: the request, the status, and each Set-Cookie attribute by attribute,
 * so the difference from what was expected can be seen at a glance.
 */
export function describeExchange(exchange: Exchange, cookieName?: string): string {
  const lines = [`Sent:     ${exchange.method} ${exchange.path}  ${exchange.cookie === undefined ? "(no Cookie header)" : `Cookie: ${exchange.cookie}`}`];
  lines.push(`Received: ${exchange.status} ${exchange.contentType ?? "(no Content-Type)"}`);
  const relevant = parseSetCookie([...exchange.setCookie], { decodeValues: false }).filter(
    (cookie) => cookieName === undefined || cookie.name === cookieName,
  );
  if (exchange.setCookie.length === 0) lines.push("          (no Set-Cookie header)");
  else if (relevant.length === 0) {
    const names = parseSetCookie([...exchange.setCookie]).map((cookie) => cookie.name);
    lines.push(`          (no Set-Cookie for ${cookieName}; it sets: ${names.join(", ")})`);
  }
  for (const cookie of relevant) lines.push(...describeCookie(cookie).map((line) => `          ${line}`));
  if (exchange.status >= 500) lines.push(`          body: ${excerpt(exchange.body)}`);
  return lines.join("\n");
}

function describeCookie(cookie: Cookie): string[] {
  const yes = (flag: boolean | undefined) => (flag ? "yes" : "no");
  return [
    `Set-Cookie ${cookie.name} = ${JSON.stringify(cookie.value)}`,
    `  Path: ${cookie.path ?? "—"}  Domain: ${cookie.domain ?? "—"}  Expires: ${cookie.expires?.toUTCString() ?? "—"}  Max-Age: ${cookie.maxAge ?? "—"}`,
    `  HttpOnly: ${yes(cookie.httpOnly)}  Secure: ${yes(cookie.secure)}  SameSite: ${cookie.sameSite ?? "—"}`,
  ];
}

/** The start of a page as text, for messages: tags stripped, white space folded. */
export function excerpt(body: string, length = 160): string {
  const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
  return text.length > length ? `${text.slice(0, length)}…` : text || "(empty)";
}
