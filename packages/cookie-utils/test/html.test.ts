import { describe, expect, it } from "vitest";
import { SafeHtml, escapeHtml, html, type HtmlValue } from "../src/html.js";

describe("escapeHtml(value)", () => {
  it.each([
    ["&", "&amp;"],
    ["<", "&lt;"],
    [">", "&gt;"],
    ['"', "&quot;"],
    ["'", "&#39;"],
  ])("escapes %s as %s", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it("escapes an already escaped entity again, so it shows as written", () => {
    expect(escapeHtml("&amp;")).toBe("&amp;amp;");
  });

  it("turns a full <script> payload into inert text", () => {
    expect(escapeHtml("<script>alert('x' && \"y\")</script>")).toBe(
      "&lt;script&gt;alert(&#39;x&#39; &amp;&amp; &quot;y&quot;)&lt;/script&gt;",
    );
  });

  it("keeps a value from breaking out of a double-quoted attribute", () => {
    expect(escapeHtml('" onmouseover="x')).toBe("&quot; onmouseover=&quot;x");
  });

  it("keeps a value from breaking out of a single-quoted attribute", () => {
    expect(escapeHtml("' onmouseover='x")).toBe("&#39; onmouseover=&#39;x");
  });

  it("leaves ordinary text alone", () => {
    expect(escapeHtml("2024-01-01T00:00:00.000Z")).toBe("2024-01-01T00:00:00.000Z");
  });

  it("returns an empty string for an empty string", () => {
    expect(escapeHtml("")).toBe("");
  });

  it.each([
    [42, "42"],
    [-1.5, "-1.5"],
    [Number.NaN, "NaN"],
    [null, "null"],
    [undefined, "undefined"],
    [true, "true"],
    [10n, "10"],
    [{ toString: () => "<b>" }, "&lt;b&gt;"],
  ])("turns the non-string %s into the text %s, as String() does", (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it("does not throw for a Symbol", () => {
    expect(escapeHtml(Symbol("<x>"))).toBe("Symbol(&lt;x&gt;)");
  });

  it("replaces a lone high surrogate with U+FFFD", () => {
    expect(escapeHtml("a\uD800b")).toBe("a\uFFFDb");
  });

  it("replaces a lone low surrogate with U+FFFD", () => {
    expect(escapeHtml("a\uDC00b")).toBe("a\uFFFDb");
  });

  it("replaces surrogates in the wrong order with two U+FFFD", () => {
    expect(escapeHtml("\uDE00\uD83D")).toBe("\uFFFD\uFFFD");
  });

  it("keeps a valid surrogate pair (an emoji)", () => {
    expect(escapeHtml("🍪 <3")).toBe("🍪 &lt;3");
    expect(escapeHtml("\uD83C\uDF6A")).toBe("🍪");
  });

  it("always returns well-formed UTF-16", () => {
    expect(escapeHtml("\uD800<\uDFFF").isWellFormed()).toBe(true);
  });
});

describe("SafeHtml", () => {
  it("gives back its markup unchanged from toString()", () => {
    expect(new SafeHtml("<b>bold</b>").toString()).toBe("<b>bold</b>");
  });

  it("gives its markup in a template literal", () => {
    expect(`${new SafeHtml("<i>x</i>")}`).toBe("<i>x</i>");
  });

  it("does not expose its markup as a property that could be overwritten", () => {
    expect(Object.keys(new SafeHtml("<b>"))).toStrictEqual([]);
  });
});

describe("html`…`", () => {
  it("returns a SafeHtml", () => {
    expect(html`<p>hi</p>`).toBeInstanceOf(SafeHtml);
  });

  it("keeps the literal parts of the template as markup", () => {
    expect(html`<p class="x">hi</p>`.toString()).toBe('<p class="x">hi</p>');
  });

  it("escapes an interpolated string", () => {
    const name = "<script>alert(1)</script>";
    expect(html`<p>Hello, ${name}!</p>`.toString()).toBe("<p>Hello, &lt;script&gt;alert(1)&lt;/script&gt;!</p>");
  });

  it("escapes an interpolated string inside an attribute", () => {
    const title = '" onmouseover="alert(1)';
    expect(html`<p title="${title}">x</p>`.toString()).toBe('<p title="&quot; onmouseover=&quot;alert(1)">x</p>');
  });

  it("keeps a SafeHtml fragment as it is", () => {
    const bold = html`<b>${"a&b"}</b>`;
    expect(html`<p>${bold}</p>`.toString()).toBe("<p><b>a&amp;b</b></p>");
  });

  it("does not escape a fragment a second time", () => {
    const inner = html`${"<"}`;
    expect(html`${html`${inner}`}`.toString()).toBe("&lt;");
  });

  it("renders numbers", () => {
    expect(html`<td>${42}</td><td>${-0.5}</td>`.toString()).toBe("<td>42</td><td>-0.5</td>");
  });

  it("joins an array without commas", () => {
    const items = ["a", "<b>", "c"];
    expect(html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>`.toString()).toBe(
      "<ul><li>a</li><li>&lt;b&gt;</li><li>c</li></ul>",
    );
  });

  it("escapes the strings in an array", () => {
    expect(html`${["<", 1, ">"]}`.toString()).toBe("&lt;1&gt;");
  });

  it("flattens nested arrays", () => {
    const nested: HtmlValue = [["a", ["b", new SafeHtml("<br>")]], [], 3];
    expect(html`[${nested}]`.toString()).toBe("[ab<br>3]");
  });

  it("accepts a readonly array", () => {
    const items = ["x", "<y>"] as const;
    expect(html`${items}`.toString()).toBe("x&lt;y&gt;");
  });

  it("renders an empty array as nothing", () => {
    expect(html`<ul>${[]}</ul>`.toString()).toBe("<ul></ul>");
  });

  it("renders an empty template as an empty string", () => {
    expect(html``.toString()).toBe("");
  });

  it("renders values at the start and the end of the template", () => {
    expect(html`${"<a>"} and ${"<b>"}`.toString()).toBe("&lt;a&gt; and &lt;b&gt;");
  });

  it("renders a template that is only values", () => {
    expect(html`${"&"}${1}${new SafeHtml("<hr>")}`.toString()).toBe("&amp;1<hr>");
  });

  it("renders an empty string value as nothing", () => {
    expect(html`<p>${""}</p>`.toString()).toBe("<p></p>");
  });

  it("replaces a lone surrogate in a value with U+FFFD", () => {
    expect(html`<p>${"\uD800"}</p>`.toString()).toBe("<p>\uFFFD</p>");
  });

  it("drops a literal part whose escape sequence is invalid, since its cooked string is undefined", () => {
    // A tagged template may contain `\u` without hex digits (ES2018); the tag then gets undefined for that part.
    expect(html`\unicode${"<"}`.toString()).toBe("&lt;");
    expect(html`a${"b"}\unicode`.toString()).toBe("ab");
  });
});
