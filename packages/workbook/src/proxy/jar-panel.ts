import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import type {
  CookieRecorder,
  JarCookie,
  LineOutcome,
  RecordedExchange,
  RecordedSetCookie,
  SentCookie,
} from "./recorder.js";
import { durationInWords, showControlCharacters, shorten } from "./words.js";

/**
 * The cookie-jar panel: the jar as the browser holds it now, then the exchanges, newest first, each Set-Cookie line
 * explained attribute by attribute with what the browser did with it. Plain HTML that reads without script (the
 * older exchanges fold into <details>); every string from the app or the browser is escaped by `html`, as any of it
 * may be an attacker's.
 */
export function renderJarPanel(recorder: CookieRecorder, now: Date = new Date()): SafeHtml {
  const exchanges = recorder.exchanges();
  return html`<section id="jar" class="jar" aria-labelledby="jar-title">
<h2 id="jar-title">Cookies</h2>
<p>What the browser sent to the app and received from it through the workbook, and the cookies it holds for localhost.</p>
<h3>The jar now</h3>
${renderJar(recorder.jar(), now)}
<form method="post" action="/-/jar/forget" target="app"><button type="submit">Delete these cookies from the browser</button> <span class="jar-note">(a wrong attempt's cookie stays until it expires: this deletes every cookie the browser sends to localhost, HttpOnly ones included, as a server can)</span></form>
<h3>Requests</h3>
${
  exchanges.length === 0
    ? html`<p>No requests yet: open the app, and each request the browser makes to it shows here, newest first.</p>`
    : html`<ol class="jar-exchanges">${exchanges.map((exchange, index) => html`<li>${renderExchange(exchange, index === 0, index < DETAILED_EXCHANGES)}</li>`)}</ol>`
}
</section>`;
}

function renderJar(cookies: readonly JarCookie[], now: Date): SafeHtml {
  if (cookies.length === 0) {
    return html`<p>The browser holds no cookies for localhost that the workbook knows of.</p>`;
  }
  return html`<table class="jar-cookies">
<caption>Cookies the browser holds for localhost, HttpOnly ones included (page scripts cannot see those)</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Value</th><th scope="col">Path</th><th scope="col">Domain</th><th scope="col">Expires</th><th scope="col">HttpOnly</th><th scope="col">Secure</th><th scope="col">SameSite</th></tr></thead>
<tbody>
${cookies.map((cookie) => renderJarRow(cookie, now))}
</tbody>
</table>`;
}

function renderJarRow(cookie: JarCookie, now: Date): SafeHtml {
  const name = html`<th scope="row">${nameOf(cookie.name)}</th>`;
  const value = renderValue(cookie.decodedValue, cookie.value);
  if (cookie.source === "before-recording") {
    return html`<tr class="jar-unknown">${name}<td>${value}</td><td colspan="6">${"Sent by the browser, set before the workbook was recording, by another app on localhost (cookies ignore the port) or by a page script: its Path, Domain and lifetime are unknown."}</td></tr>\n`;
  }
  const domain = cookie.hostOnly ? html`${cookie.domain} (host-only)` : html`${cookie.domain} and its subdomains`;
  return html`<tr>${name}<td>${value}</td><td><code>${cookie.path}</code></td><td>${domain}</td><td>${renderExpiry(cookie.expires, now)}</td><td>${yesNo(cookie.httpOnly)}</td><td>${yesNo(cookie.secure)}</td><td>${cookie.sameSite ? capitalized(cookie.sameSite) : "not set (Lax)"}</td></tr>\n`;
}

function renderExpiry(expires: Date | undefined, now: Date): SafeHtml {
  if (expires === undefined) return html`when the browser closes (a session cookie)`;
  const iso = expires.toISOString();
  return html`<time datetime="${iso}">${iso.replace(/\.\d{3}Z$/, "Z")}</time> (in ${durationInWords(expires.getTime() - now.getTime())})`;
}

/**
 * The panel is rendered again, and pushed to every open page, on each request the app answers: it stays small
 * whatever the app sends. The newest exchanges are decoded part by part, the older ones in a line each; an
 * exchange shows so many Set-Cookie lines at most (an app can send hundreds in one response).
 */
const DETAILED_EXCHANGES = 10;
const LINES_SHOWN = 20;

function renderExchange(exchange: RecordedExchange, newest: boolean, detailed: boolean): SafeHtml {
  const count = exchange.setCookies.length;
  const lines = count === 0 ? "no Set-Cookie" : count === 1 ? "1 Set-Cookie" : `${count} Set-Cookie`;
  const summary = html`<summary><span class="jar-method">${exchange.method}</span> <code>${shown(exchange.path)}</code>: ${exchange.status}, ${lines}, at ${renderTime(exchange.at)}</summary>`;
  return html`<details id="exchange-${exchange.id}" class="jar-exchange"${newest ? html` open` : ""}>
${summary}
${renderSent(exchange.cookieHeader, exchange.sent)}
${renderNotes(exchange.notes)}
${count === 0 ? html`<p>The response set no cookie.</p>` : detailed ? exchange.setCookies.slice(0, LINES_SHOWN).map((line, index) => renderSetCookie(line, index, count)) : renderVerdicts(exchange.setCookies.slice(0, LINES_SHOWN))}
${count > LINES_SHOWN ? html`<p>And ${count - LINES_SHOWN} more Set-Cookie lines, not shown.</p>` : ""}
</details>`;
}

/** An older exchange's lines, one each: the verdict and the cookie's name. */
function renderVerdicts(lines: readonly RecordedSetCookie[]): SafeHtml {
  return html`<ul class="jar-verdicts">${lines.map((line) => html`<li><strong>${verdictInWords(line.outcome).word}</strong>: ${nameOf(line.name)}</li>`)}</ul>`;
}

function renderTime(at: Date): SafeHtml {
  // The machine's local time: the workbook runs on the learner's own computer.
  return html`<time datetime="${at.toISOString()}">${at.toTimeString().slice(0, 8)}</time>`;
}

function renderSent(header: string | undefined, sent: readonly SentCookie[]): SafeHtml {
  if (header === undefined) return html`<p>The browser sent no <code>Cookie</code> header.</p>`;
  return html`<p>The browser sent <code>Cookie: ${shown(header)}</code></p>
<ul class="jar-sent">${sent.map(
    (cookie) =>
      html`<li>${nameOf(cookie.name)} = ${renderValue(cookie.value, cookie.rawValue ?? cookie.value)}${
        cookie.unexpected ? html`: <span class="jar-note">${cookie.unexpected}</span>` : ""
      }</li>`,
  )}</ul>`;
}

function renderNotes(notes: readonly string[]): SafeHtml | string {
  if (notes.length === 0) return "";
  return html`<ul class="jar-notes">${notes.map((note) => html`<li>${note}</li>`)}</ul>`;
}

function renderSetCookie(line: RecordedSetCookie, index: number, count: number): SafeHtml {
  const { word, detail } = verdictInWords(line.outcome);
  const label = count === 1 ? "Set-Cookie" : `Set-Cookie ${index + 1} of ${count}`;
  return html`<div class="jar-line jar-${line.outcome.kind}">
<p class="jar-verdict"><strong>${word}</strong>: ${detail}</p>
<p>${label}: <code class="jar-raw">${shown(line.line, 200)}</code></p>
<table class="jar-attributes">
<caption>${label} (${line.name === "" ? "a nameless cookie" : line.name}), part by part</caption>
<thead><tr><th scope="col">Part</th><th scope="col">As sent</th><th scope="col">What the browser makes of it</th></tr></thead>
<tbody>
<tr><th scope="row">Name</th><td>${nameOf(line.name)}</td><td>${line.name === "" ? "no name: the browser keeps the value alone" : "the cookie's name"}</td></tr>
<tr><th scope="row">Value</th><td>${codeOrEmpty(line.rawValue ?? line.value)}</td><td>${
    line.rawValue === undefined ? "read as sent" : html`percent-decoded: <code>${shown(line.value)}</code>`
  }</td></tr>
${line.attributes.map(
  (attribute) =>
    html`<tr${attribute.known ? "" : html` class="jar-unknown"`}><th scope="row">${shown(attribute.name)}</th><td>${
      attribute.value === "" ? "(a flag, no value)" : html`<code>${shown(attribute.value)}</code>`
    }</td><td>${attribute.meaning}</td></tr>\n`,
)}${line.lifetime === undefined ? "" : html`<tr><th scope="row">Lifetime</th><td>(from Expires and Max-Age)</td><td>${line.lifetime}</td></tr>`}
</tbody>
</table>
${renderNotes(line.notes)}
</div>`;
}

/** The verdict in words: a word that stands without colour, then the reason in the grader's words. */
function verdictInWords(outcome: LineOutcome): { word: string; detail: string } {
  switch (outcome.kind) {
    case "stored":
      return {
        word: "Stored",
        detail: outcome.replaced
          ? "it replaces the cookie the browser had with the same name, Domain and Path"
          : "a new cookie in the browser's jar",
      };
    case "deleted":
      return {
        word: "Deleted",
        detail: `the browser no longer has ${outcome.cookie.name || "the nameless cookie"} (Path=${outcome.cookie.path})`,
      };
    case "did-not-delete":
      return { word: "Not deleted", detail: outcome.reason };
    case "nothing-to-delete":
      return { word: "Deletes nothing", detail: outcome.reason };
    case "rejected":
      return { word: "Rejected", detail: outcome.reason.replace(/^a browser rejects it: /, "") };
  }
}

function renderValue(decoded: string, raw: string): SafeHtml {
  return decoded === raw
    ? codeOrEmpty(decoded)
    : html`<code>${shown(decoded)}</code> <span class="jar-raw-value">(sent as <code>${shown(raw)}</code>)</span>`;
}

/** A value in <code>, or "(empty)" in words: an empty <code> reads as nothing at all. */
function codeOrEmpty(value: string): SafeHtml {
  return value === "" ? html`<em>(empty)</em>` : html`<code>${shown(value)}</code>`;
}

function nameOf(name: string): SafeHtml {
  return name === "" ? html`<em>(no name)</em>` : html`<code>${shown(name)}</code>`;
}

/** App-controlled text for the page: control characters written out, long values cut (then escaped by `html`). */
function shown(text: string, max = 120): string {
  return shorten(showControlCharacters(text), max);
}

function yesNo(flag: boolean): string {
  return flag ? "yes" : "no";
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
