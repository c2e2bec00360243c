import { readFileSync } from "node:fs";
import { HtmlValidate } from "html-validate";
import { describe, expect, it } from "vitest";
import { CookieRecorder, renderJarPanel } from "../src/proxy/index.js";

const NOW = new Date("2031-05-17T08:00:00.000Z");
// W3C-valid markup (tables with captions and scoped headers among html-validate's standard rules).
const validator = new HtmlValidate({ extends: ["html-validate:standard"] });

function recorderWith(...exchanges: { path: string; setCookie?: string[]; cookieHeader?: string; method?: string }[]) {
  const recorder = new CookieRecorder({ clock: () => NOW });
  for (const { path, setCookie = [], cookieHeader, method = "GET" } of exchanges) {
    recorder.record({ method, path, status: 200, cookieHeader, setCookie, at: NOW });
  }
  return recorder;
}

/** The panel in a page of its own, as the workbook would serve it, for the validator. */
function page(panel: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Workbook</title></head><body><main><h1>Workbook</h1>${panel}</main></body></html>`;
}

async function problemsOf(panel: string): Promise<string[]> {
  const report = await validator.validateString(page(panel));
  return report.results.flatMap((result) => result.messages.map((message) => `${message.ruleId}: ${message.message}`));
}

describe("renderJarPanel(recorder)", { timeout: 60_000 }, () => {
  it("says in words that there is nothing yet, in a section named by its heading", async () => {
    const panel = renderJarPanel(new CookieRecorder(), NOW).toString();

    expect(panel).toMatch(
      /^<section id="jar" class="jar" aria-labelledby="jar-title">\n<h2 id="jar-title">Cookies<\/h2>/,
    );
    expect(panel).toContain("<p>The browser holds no cookies for localhost that the workbook knows of.</p>");
    expect(panel).toContain(
      "<p>No requests yet: open the app, and each request the browser makes to it shows here, newest first.</p>",
    );
    expect(await problemsOf(panel)).toStrictEqual([]);
  });

  it("shows the jar as a table with a caption and scoped headers, a cookie's lifetime in words", async () => {
    const panel = renderJarPanel(
      recorderWith({ path: "/", setCookie: ["theme=dark; Max-Age=7200; SameSite=Strict"] }),
      NOW,
    ).toString();

    expect(panel).toContain(
      "<caption>Cookies the browser holds for localhost, HttpOnly ones included (page scripts cannot see those)</caption>",
    );
    expect(panel).toContain(
      '<tr><th scope="row"><code>theme</code></th><td><code>dark</code></td><td><code>/</code></td><td>localhost (host-only)</td>' +
        '<td><time datetime="2031-05-17T10:00:00.000Z">2031-05-17T10:00:00Z</time> (in 2 h)</td><td>no</td><td>no</td><td>Strict</td></tr>',
    );
    expect(await problemsOf(panel)).toStrictEqual([]);
  });

  it("shows a cookie the browser sent from before the recording, and says what is unknown about it", () => {
    const panel = renderJarPanel(recorderWith({ path: "/", cookieHeader: "old=1" }), NOW).toString();
    expect(panel).toContain(
      '<tr class="jar-unknown"><th scope="row"><code>old</code></th><td><code>1</code></td><td colspan="6">Sent by the browser, set before the workbook was recording, by another app on localhost (cookies ignore the port) or by a page script: its Path, Domain and lifetime are unknown.</td></tr>',
    );
    expect(panel).toContain(
      '<li><code>old</code> = <code>1</code>: <span class="jar-note">sent by the browser, set before the workbook was recording, by another app on localhost (cookies ignore the port: pnpm dev&#39;s app on :3000 shares them), or by a page script</span></li>',
    );
  });

  it("shows the newest exchange open and folds the older ones, each Set-Cookie part by part with its verdict", async () => {
    const recorder = recorderWith(
      { path: "/login", method: "POST", setCookie: ["sid=a%2Fb; Path=/; HttpOnly", "bad=1; SameSite=None"] },
      { path: "/logout", method: "POST", cookieHeader: "sid=a%2Fb", setCookie: ["sid=; Path=/logout; Max-Age=0"] },
    );
    const panel = renderJarPanel(recorder, NOW).toString();

    const [newest, older] = panel.split(/<li>(?=<details)/).slice(1);
    expect(newest).toMatch(
      /^<details id="exchange-2" class="jar-exchange" open>\n<summary><span class="jar-method">POST<\/span> <code>\/logout<\/code>: 200, 1 Set-Cookie, at <time/,
    );
    expect(newest).toContain(
      "<strong>Not deleted</strong>: the deletion names Path=/logout, but the cookie has Path=/",
    );
    expect(newest).toContain("<p>The browser sent <code>Cookie: sid=a%2Fb</code></p>");
    expect(newest).toContain('<tr><th scope="row">Value</th><td><em>(empty)</em></td><td>read as sent</td></tr>');
    expect(older).toMatch(
      /^<details id="exchange-1" class="jar-exchange">\n<summary><span class="jar-method">POST<\/span> <code>\/login<\/code>: 200, 2 Set-Cookie, at/,
    );
    expect(older).toContain("<p>The browser sent no <code>Cookie</code> header.</p>");
    expect(older).toContain("<strong>Stored</strong>: a new cookie in the browser&#39;s jar");
    expect(older).toContain("<strong>Rejected</strong>: SameSite=None needs Secure");
    expect(older).toContain("<caption>Set-Cookie 1 of 2 (sid), part by part</caption>");
    expect(older).toContain(
      '<tr><th scope="row">Value</th><td><code>a%2Fb</code></td><td>percent-decoded: <code>a/b</code></td></tr>',
    );
    expect(older).toContain(
      '<tr><th scope="row">HttpOnly</th><td>(a flag, no value)</td><td>hidden from page scripts: document.cookie does not show it</td></tr>',
    );
    expect(await problemsOf(panel)).toStrictEqual([]);
  });

  it("shows a deletion that worked as deleted", () => {
    const recorder = recorderWith(
      { path: "/", setCookie: ["sid=1"] },
      { path: "/logout", setCookie: ["sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"] },
    );
    const panel = renderJarPanel(recorder, NOW).toString();
    expect(panel).toContain("<strong>Deleted</strong>: the browser no longer has sid (Path=/)");
    expect(panel).toContain(
      '<tr><th scope="row">Expires</th><td><code>Thu, 01 Jan 1970 00:00:00 GMT</code></td><td>a date in the past: a deletion (of the cookie with this name, Domain and Path)</td></tr>',
    );
  });

  it("cuts a long value short and says how long it was", () => {
    const panel = renderJarPanel(recorderWith({ path: "/", setCookie: [`big=${"v".repeat(5000)}`] }), NOW).toString();
    expect(panel).toContain(`<code class="jar-raw">big=${"v".repeat(196)}… (5004 characters in all)</code>`);
    expect(panel).not.toContain("v".repeat(201));
  });

  it("escapes markup in names, values, attributes, paths and the Cookie header", async () => {
    const recorder = recorderWith({
      path: "/<script>alert(1)</script>",
      cookieHeader: "<b>=<i>x</i>",
      setCookie: ['"><img src=x onerror=alert(1)>=<svg onload=alert(2)>; <u>=<s>; Path=/"><a>'],
    });
    const panel = renderJarPanel(recorder, NOW).toString();

    expect(panel).not.toMatch(/<(script|img|svg|b|i|u|s|a)[\s>]/);
    expect(panel).toContain("&lt;svg onload=alert(2)&gt;");
    expect(await problemsOf(panel)).toStrictEqual([]);
  });

  it("comes with a style sheet for its classes", () => {
    const css = readFileSync(new URL("../static/jar.css", import.meta.url), "utf8");
    for (const name of ["jar-exchange", "jar-line", "jar-rejected", "jar-did-not-delete", "jar-stored"])
      expect(css).toContain(`.${name}`);
  });
});
