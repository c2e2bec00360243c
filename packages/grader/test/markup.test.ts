import { escapeHtml } from "@cookie-course/cookie-utils";
import { describe, expect, it } from "vitest";
import { breakoutValues, drawnMarker, hostilePayloads, judgeValueInPage, shownAsTyped } from "../src/checks/markup.js";

const marker = drawnMarker();
const values = breakoutValues(marker);
const shell = (body: string, head = "") =>
  `<!doctype html>\n<html><head><meta charset="utf-8">${head}</head>\n<body>\n${body}\n</body></html>`;

/** How a page may put a value in, the way learner code writes it. */
const unsafe: Record<string, (value: string) => string> = {
  "element text": (v) => shell(`<p>Signed in as <strong>${v}</strong>.</p>`),
  "a double-quoted attribute": (v) => shell(`<p title="${v}">hi</p>`),
  "a single-quoted attribute": (v) => shell(`<p title='${v}'>hi</p>`),
  "an unquoted attribute": (v) => shell(`<p title=${v}>hi</p>`),
  "the <title>": (v) => shell("<p>hi</p>", `<title>${v}'s profile</title>`),
  "a <textarea>": (v) => shell(`<textarea>${v}</textarea>`),
  "a comment": (v) => shell(`<!-- user: ${v} -->`),
  "a script, through JSON.stringify": (v) => shell(`<script>const user = ${JSON.stringify(v)};</script>`),
  "a <style>": (v) => shell(`<style>/* ${v} */</style>`),
  "a <noscript>": (v) => shell(`<noscript>${v}</noscript>`),
  "an <iframe>": (v) => shell(`<iframe>${v}</iframe>`),
  "an <xmp>": (v) => shell(`<xmp>${v}</xmp>`),
  "a <noembed>": (v) => shell(`<noembed>${v}</noembed>`),
  "a double-quoted attribute, only < and > escaped": (v) =>
    shell(`<p title="${v.replace(/</g, "&lt;").replace(/>/g, "&gt;")}">hi</p>`),
  "a single-quoted attribute, ' left as it is": (v) =>
    shell(`<p title='${v.replace(/[<>"&]/g, (c) => escapeHtml(c))}'>hi</p>`),
  "an unquoted attribute, escaped": (v) => shell(`<p title=${escapeHtml(v)}>hi</p>`),
  "a double-quoted attribute, escaped only when the value has < or >": (v) =>
    shell(`<p title="${/[<>]/.test(v) ? escapeHtml(v) : v}">hi</p>`),
  "element text, only the first < and > escaped": (v) => shell(`<p>${v.replace("<", "&lt;").replace(">", "&gt;")}</p>`),
  "element text, with < and > removed": (v) => shell(`<p>Signed in as ${escapeHtml(v.replace(/[<>]/g, ""))}</p>`),
  "element text, escaped twice": (v) => shell(`<p>Signed in as ${escapeHtml(escapeHtml(v))}</p>`),
  "the <title>, with < and > removed": (v) =>
    shell("<p>hi</p>", `<title>${escapeHtml(v.replace(/[<>]/g, ""))}</title>`),
  "a single-quoted string in an onclick, escaped for HTML": (v) =>
    shell(`<button onclick="alert('Hello, ${escapeHtml(v)}!')">Hi</button>`),
  "a double-quoted string in an onclick, escaped for HTML": (v) =>
    shell(`<button onclick='alert("Hello, ${escapeHtml(v)}!")'>Hi</button>`),
  "a template literal in a script": (v) =>
    shell(`<script>const greeting = \`Hello, ${v.replace(/</g, "\\u003c")}\`;</script>`),
  "a single-quoted string in a script, < written \\u003c": (v) =>
    shell(`<script>const user = '${v.replace(/</g, "\\u003c")}';</script>`),
  "a javascript: link, percent-encoded": (v) =>
    shell(`<a href="javascript:greet('${encodeURIComponent(v).replace(/'/g, "%27")}')">me</a>`),
  "a link's whole href, escaped": (v) => shell(`<a href="${escapeHtml(v)}">Your page</a>`),
  "an iframe's srcdoc, escaped once": (v) => shell(`<iframe srcdoc="<p>${escapeHtml(v)}</p>"></iframe>`),
};

/** How a page may put a value in safely: each must pass. */
const safe: Record<string, (value: string) => string> = {
  "element text, escaped": (v) => shell(`<p>Signed in as <strong>${escapeHtml(v)}</strong>.</p>`),
  "attributes, quoted and escaped": (v) =>
    shell(`<p title="${escapeHtml(v)}" data-x='${escapeHtml(v)}'>hi</p><input value="${escapeHtml(v)}">`),
  "the <title> and a <textarea>, escaped": (v) =>
    shell(`<textarea>${escapeHtml(v)}</textarea>`, `<title>${escapeHtml(v)}</title>`),
  "a comment, escaped": (v) => shell(`<!-- user: ${escapeHtml(v)} -->`),
  "a script, with < written \\u003c": (v) =>
    shell(`<script>const user = ${JSON.stringify(v).replace(/</g, "\\u003c")};</script>`),
  "a link, percent-encoded": (v) => shell(`<a href="/users/${encodeURIComponent(v)}">me</a>`),
  "element text, cut short with an ellipsis": (v) =>
    shell(`<nav>${escapeHtml(v.slice(0, 14))}…</nav><p>${escapeHtml(v)}</p>`),
  nowhere: () => shell("<p>Signed in.</p>"),
  "an onclick, through JSON.stringify and escaped for HTML": (v) =>
    shell(`<button onclick="greet(${escapeHtml(JSON.stringify(v))})">Hi</button>`),
  "a JSON data block, < written \\u003c": (v) =>
    shell(`<script type="application/json">${JSON.stringify({ user: v }).replace(/</g, "\\u003c")}</script>`),
  "an iframe's srcdoc, escaped twice": (v) => shell(`<iframe srcdoc="<p>${escapeHtml(escapeHtml(v))}</p>"></iframe>`),
};

describe("judgeValueInPage", () => {
  it.each(Object.entries(unsafe))("finds a value put into %s", (_what, render) => {
    const found = values
      .map((value) => judgeValueInPage(render(value), marker, value))
      .filter((finding) => finding !== undefined);
    expect(found.length, "at least one of the values is found").toBeGreaterThan(0);
  });

  it.each(Object.entries(safe))("passes a value put into %s", (_what, render) => {
    for (const value of values) expect(judgeValueInPage(render(value), marker, value), value).toBeUndefined();
  });

  it("says where the value was put and what ended it", () => {
    const [value = ""] = values;
    expect(judgeValueInPage(unsafe["the <title>"]!(value), marker, value)).toMatchObject({
      kind: "markup",
      what: `<${marker}>`,
      context: { where: "the <title>", endedBy: "</title>" },
    });
    expect(judgeValueInPage(unsafe["a comment"]!(value), marker, value)).toMatchObject({
      kind: "markup",
      context: { kind: "comment" },
    });
    expect(judgeValueInPage(unsafe["a script, through JSON.stringify"]!(value), marker, value)).toMatchObject({
      kind: "markup",
      context: { where: "a <script>" },
      lineNumber: 4,
    });
    expect(judgeValueInPage(unsafe["a double-quoted attribute"]!(value), marker, value)).toMatchObject({
      context: { where: 'the title="…" attribute of <p>' },
    });
    expect(judgeValueInPage(unsafe["element text, with < and > removed"]!(value), marker, value)).toMatchObject({
      kind: "not-as-typed",
      context: { where: "the text of <p>" },
    });
  });

  it("finds a value left as typed where only an end tag stops it, even with no end tag in it", () => {
    const value = `${marker}<${marker}>`;
    expect(judgeValueInPage(shell(`<noframes>${value}</noframes>`), marker, value)).toMatchObject({
      kind: "unescaped",
      context: { where: "a <noframes>" },
    });
  });
});

describe("shownAsTyped", () => {
  it("reads white space and case as the other checks do, and a value cut short with an ellipsis", () => {
    expect(shownAsTyped(`Signed in as <B>${marker.toUpperCase()}</B>`, `<b>${marker}</b>`, marker)).toBe(true);
    expect(shownAsTyped(`Signed in as <b>${marker}</b>...`, `<b>${marker}</b> and more`, marker)).toBe(true);
    expect(shownAsTyped(`Signed in as b${marker}/b`, `<b>${marker}</b>`, marker)).toBe(false);
    expect(shownAsTyped(`You had been here since ${marker}-.`, `${marker}--!></title>`, marker)).toBe(true);
    expect(shownAsTyped(`Signed in as ${marker} ${marker}=1`, `${marker}'" ${marker}=1`, marker)).toBe(false);
    expect(shownAsTyped(`Signed in as <b>${marker}b`, `<b>${marker}</b>`, marker)).toBe(false);
  });
});

describe("hostilePayloads", () => {
  it("starts each value with a date-time a loose validator accepts, with the marker, or with javascript: and the marker", () => {
    const { marker: drawn, values: payloads } = hostilePayloads("2031-05-16T08:09:10.000Z");
    for (const value of payloads) {
      expect(
        value.startsWith(drawn) ||
          value.startsWith(`javascript:${drawn}`) ||
          value.startsWith("2031-") ||
          !Number.isNaN(Date.parse(value)),
      ).toBe(true);
    }
    for (const value of breakoutValues(drawn)) expect([...value].length).toBeLessThanOrEqual(64);
  });
});
