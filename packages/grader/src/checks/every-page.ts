import { randomInt } from "node:crypto";
import type { Exchange } from "../harness/exchange.js";
import { judgeValueInPage, type ValueFound } from "./markup.js";

/**
 * Paths no exercise serves, one drawn per run: its 404 page is a page too, and one that shows the visitor's name
 * (a menu that greets them) must escape it like any other.
 */
const UNKNOWN_PATHS = ["/about", "/help", "/contact", "/settings", "/account", "/news"];

/**
 * Every page a visitor of the course's apps can open, whichever exercise the app is at, and a 404: a value that
 * reaches one of them must be escaped there. /logout comes last: from 03 on it may forget what the others show.
 */
export function everyPage(): string[] {
  return [
    "/",
    "/last-visit",
    "/login",
    "/profile",
    UNKNOWN_PATHS[randomInt(UNKNOWN_PATHS.length)] ?? "/about",
    "/logout",
  ];
}

/**
 * Whether a browser would render this answer's body as a page: a redirect's body is never shown, a browser sniffs a
 * body sent without a Content-Type (and may find HTML in it), and it renders any XML type as a document, where an
 * element in the XHTML namespace is HTML (a <script> runs).
 */
export function rendersAsPage(exchange: Exchange): boolean {
  if (exchange.status >= 300 && exchange.status < 400 && exchange.location !== undefined) return false;
  return (
    exchange.contentType === undefined ||
    /^\s*(text\/html|text\/xml|application\/xml|[\w.+-]+\/[\w.-]+\+xml)\s*(;|$)/i.test(exchange.contentType)
  );
}

/** What an answer's page did with a value holding the marker (see {@link judgeValueInPage}); undefined when safe. */
export function judgeAnswer(exchange: Exchange, marker: string, typed: string): ValueFound | undefined {
  return rendersAsPage(exchange) ? judgeValueInPage(exchange.body, marker, typed) : undefined;
}

/** The request an answer came from, as a learner reads it: "GET /profile", or "POST /login (answered 400)". */
export function requestOf(exchange: Exchange): string {
  return `${exchange.method} ${exchange.path}${exchange.status === 200 ? "" : ` (answered ${exchange.status})`}`;
}

/**
 * Where the value landed and what that means, in lines for a failure message: the page's line, where the value was
 * put (the place it was in before it broke out), and what ended that place.
 */
export function landing(found: ValueFound): string[] {
  const { kind, what, context, line, lineNumber } = found;
  if (kind === "markup") {
    return [
      `Landed:   line ${lineNumber} of the page, where it made ${what}:`,
      `          ${line}`,
      `Where:    it was put into ${context.where}${context.endedBy ? `, and its ${context.endedBy} ended it there` : ""}.`,
    ];
  }
  if (kind === "unescaped") {
    return [
      `Landed:   line ${lineNumber} of the page, in ${context.where}, as typed (< and all):`,
      `          ${line}`,
      `Where:    it made no markup this time, but a value holding ${context.endedBy ?? "its end tag"} ends ${context.where} there, and the rest of the value becomes markup.`,
    ];
  }
  return [
    `Landed:   line ${lineNumber} of the page, in ${context.where}, shown as ${JSON.stringify(what.length > 160 ? `${what.slice(0, 160)}…` : what)}:`,
    `          ${line}`,
    "Where:    the page shows it as text, but not as typed: characters were removed or changed, not escaped.",
  ];
}

/** What to do about it, for the place the value landed in. */
export function escapingHint(found: ValueFound): string {
  if (found.kind === "not-as-typed") {
    return "Escape, do not remove: html`` (or escapeHtml) turns < > & \" ' into entities, and the page then shows exactly what was typed.";
  }
  switch (found.context.kind) {
    case "script":
      return "In a script, a value stays data only as a JavaScript string written by JSON.stringify, and JSON.stringify leaves < as it is, so </script> inside a string still ends the script. Keep the value out of inline scripts (put it, escaped, in a data- attribute and read that), or write < as \\u003c.";
    case "handler":
      return "An on…=\"…\" attribute (or a javascript: link) runs as JavaScript after the browser decodes its entities, so html`` cannot keep a value inside a string there: &#39; is a ' again. Keep visitors' values out of event handlers: put the value, escaped, in a data- attribute and read it in a script (element.dataset).";
    case "comment":
      return "A comment ends at --> (or --!>): leave visitors' values out of comments, or escape them there as everywhere else.";
    case "rcdata":
      return `${found.context.where} shows text, but its end tag still ends it: build it with html\`\` too, as the rest of the page.`;
    case "raw-text":
      return `Nothing in ${found.context.where} is read as an entity: leave the value out of it, or escape it before it goes in.`;
    case "attribute":
      return "Put a value in an attribute only inside quotes, escaped with html`` (it escapes \" and ' too).";
    default:
      return "Build every page with html``, which escapes each value, wherever the value appears: the title, the menu and the error pages too.";
  }
}
