import { randomBytes } from "node:crypto";
import { cutUtf16 } from "../sandbox/text.js";
import { tokenizer } from "acorn";
import { parse, type DefaultTreeAdapterMap } from "parse5";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];
type Location = { readonly startLine: number; readonly startOffset: number; readonly endOffset: number };

/** A fresh random marker for one grading run: no app can recognise a published payload. */
export function drawnMarker(): string {
  return `m${randomBytes(4).toString("hex")}`;
}

/**
 * Values that break out of every context a page can put a value in, each at most 64 characters (05's longest
 * username) and each starting with the marker, so that the first marker of a value in a page says where the value was
 * put (see {@link judgeValueInPage}):
 * - element text: `<m…>` opens a tag;
 * - a double-quoted, single-quoted or unquoted attribute: `"`, `'`, a space or `>` ends it;
 * - RCDATA (`<title>`, `<textarea>`) and raw text (`<script>`, `<style>`, `<noscript>`, `<iframe>`, `<xmp>`): their
 *   own end tag ends them, whatever quoting a script string had (JSON.stringify leaves `</script>` alone);
 * - a comment: `-->`, and `--!>`, which ends a comment too (HTML Living Standard §13.2.5.50 "comment end bang state").
 * - a JavaScript string in a script or an event handler (`onclick="…"`, a `javascript:` link): `'`, `"` or a
 *   backtick ends it, and the browser decodes an attribute's entities (`&#39;`) before it runs the code;
 * - a whole URL attribute (`href="${name}"`): a `javascript:` URL runs when followed (this value alone starts with
 *   its scheme, not the marker);
 * The last has no `<` at all: an app that escapes only the values that look like tags is seen.
 */
export function breakoutValues(marker: string): string[] {
  return [
    `${marker}--!></title></textarea></style></script>'"><${marker}>`,
    `${marker}--></noscript></iframe></xmp>"'><${marker}>`,
    // A whole URL: a name that is a link's href runs when the link is clicked.
    `javascript:${marker}//`,
    `${marker}'"\` ${marker}=1`,
  ];
}

/**
 * Hostile cookie values for one grading run: {@link breakoutValues}, alone and after a date-time, since a loose
 * validator lets through what begins like one (a regular expression on the start) or what Date.parse accepts (it
 * skips text in parentheses).
 */
export function hostilePayloads(stored: string): { marker: string; values: string[] } {
  const marker = drawnMarker();
  const breakouts = breakoutValues(marker);
  // After a date-time, the first (every end tag but the rarer ones) and the last (no <): the rarer end tags add
  // nothing there, since a value left as typed in any element they end is found without them.
  const prefixed = [breakouts[0] ?? "", breakouts.at(-1) ?? ""];
  const values = [
    ...breakouts,
    ...prefixed.map((value) => `${stored}${value}`),
    // Date.parse accepts these: "it parses as a date" does not make a value safe to put in a page.
    ...prefixed.map((value) => `Fri May 16 2031 08:09:10 GMT+0000 (${value})`),
  ];
  return { marker, values };
}

/** Where in a page a value was put, as a browser's parser sees it, and what ends that place. */
export interface ValueContext {
  /** `the <title>`, `an HTML comment`, `the title="…" attribute of <p>`, `the text of <strong>`. */
  readonly where: string;
  /** What in a value ends this place, if anything but a tag does: `</title>`, `-->`, `"`. */
  readonly endedBy?: string;
  readonly kind: "text" | "rcdata" | "raw-text" | "script" | "handler" | "comment" | "attribute" | "tag" | "page";
}

/**
 * What a page did with a value that holds the marker:
 * - `markup`: part of it became an element or an attribute (the value broke out of where it was put);
 * - `unescaped`: it sits as typed (`<` and all) in a comment or in an element whose text only its end tag ends
 *   (`<title>`, `<script>`…): no markup this time, but a value holding that end tag breaks out;
 * - `not-as-typed`: the page shows it as text, but not as the text typed (characters removed or changed).
 */
export interface ValueFound {
  readonly kind: "markup" | "unescaped" | "not-as-typed";
  /** For markup, what it made: `<m1a2b3c4d>` or `m1a2b3c4d="1" on <p>`; else the text as the page has it. */
  readonly what: string;
  readonly context: ValueContext;
  /** The page's line where it landed, trimmed, cut around the marker when long. */
  readonly line: string;
  /** That line's number in the page, from 1. */
  readonly lineNumber: number;
}

/** Where a marker became markup in a page: the element or attribute it made, and its line. */
export type MarkupFound = Pick<ValueFound, "what" | "line" | "lineNumber">;

/** Elements whose text is read as text up to their own end tag only, entities decoded (RCDATA). */
const RCDATA = new Set(["title", "textarea"]);
/** Elements whose text is read as it is up to their own end tag only (raw text, script data; parse5 runs as a browser with scripting on). */
const RAW_TEXT = new Set(["script", "style", "noscript", "iframe", "xmp", "noembed", "noframes", "plaintext"]);

/** The part of a long line around the marker: the learner needs to see where it landed, not the whole line. */
function around(line: string, marker: string): string {
  const text = line.trim();
  if (text.length <= 200) return text;
  const at = Math.max(text.toLowerCase().indexOf(marker), 0);
  // Start and end between characters: a cut through an emoji would leave half of it, which strict JSON rejects.
  let start = Math.max(at - 100, 0);
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start] ?? "")) start--;
  const kept = cutUtf16(text.slice(start), 200);
  return `${start > 0 ? "…" : ""}${kept}${start + kept.length < text.length ? "…" : ""}`;
}

const locationOf = (node: Node): Location | undefined =>
  "sourceCodeLocation" in node ? (node.sourceCodeLocation ?? undefined) : undefined;
const childrenOf = (node: Node): Node[] => [
  ...("childNodes" in node ? node.childNodes : []),
  ...("content" in node ? [node.content as Node] : []),
];
const contains = (location: Location | undefined, offset: number) =>
  location !== undefined && location.startOffset <= offset && offset < location.endOffset;
const folded = (text: string) => text.replace(/\s+/g, " ").toLowerCase();

/**
 * Judges a page as a browser parses it (parse5 follows the HTML standard) for a value that holds the marker:
 * markup first, then a value left as typed where only an end tag stops it, then text that is not the text typed
 * (`typed`: the part of the value that holds the marker). Undefined when the page shows the value safely, or not at all.
 */
export function judgeValueInPage(html: string, marker: string, typed: string): ValueFound | undefined {
  const page = html.slice(0, 1_000_000);
  const document = parse(page, { sourceCodeLocationInfo: true });
  const lower = page.toLowerCase();
  const lines = page.split("\n");
  const found = (
    kind: ValueFound["kind"],
    what: string,
    location: Location | undefined,
    valueAt: number,
  ): ValueFound => {
    const lineNumber = location?.startLine ?? 0;
    return {
      kind,
      what,
      context: contextAt(document, page, valueAt),
      line: around(lines[lineNumber - 1] ?? "", marker),
      lineNumber,
    };
  };
  // The value's own first marker, before what it made: the place it was put, before it broke out.
  const valueBefore = (offset: number) => Math.max(lower.lastIndexOf(marker, offset - 1), 0);

  const markup = findMarkup(document, marker);
  if (markup) return found("markup", markup.what, markup.location, valueBefore(markup.location?.startOffset ?? 0));

  const code = findCode(document, marker);
  if (code) {
    const lineNumber = code.location?.startLine ?? 0;
    return {
      kind: "markup",
      what: code.what,
      context: code.context,
      line: around(lines[lineNumber - 1] ?? "", marker),
      lineNumber,
    };
  }

  for (const { node, parent } of walk(document)) {
    const location = locationOf(node);
    if (node.nodeName === "#comment" && "data" in node && node.data.toLowerCase().includes(`<${marker}`)) {
      return found("unescaped", node.data, location, lower.indexOf(marker, location?.startOffset ?? 0));
    }
    if (node.nodeName !== "#text" || !parent || !location) continue;
    const source = lower.slice(location.startOffset, location.endOffset);
    const tag = parent.tagName;
    if ((RCDATA.has(tag) || RAW_TEXT.has(tag)) && source.includes(`<${marker}`)) {
      return found(
        "unescaped",
        page.slice(location.startOffset, location.endOffset),
        location,
        location.startOffset + source.indexOf(marker),
      );
    }
    const text = "value" in node ? node.value : "";
    if (RAW_TEXT.has(tag) || !source.includes(marker) || shownAsTyped(text, typed, marker)) continue;
    return found("not-as-typed", text.trim(), location, location.startOffset + source.indexOf(marker));
  }
  return undefined;
}

/**
 * Parses a page as HTML and finds an element or attribute whose name holds the marker: proof that a value was put
 * into the page as markup, not as text.
 */
export function findInjectedMarkup(html: string, marker: string): MarkupFound | undefined {
  const page = html.slice(0, 1_000_000);
  const markup = findMarkup(parse(page, { sourceCodeLocationInfo: true }), marker);
  if (!markup) return undefined;
  const lineNumber = markup.location?.startLine ?? 0;
  return { what: markup.what, line: around(page.split("\n")[lineNumber - 1] ?? "", marker), lineNumber };
}

function findMarkup(document: Node, marker: string): { what: string; location: Location | undefined } | undefined {
  for (const { node } of walk(document)) {
    if (!("tagName" in node)) continue;
    if (node.tagName.includes(marker)) return { what: `<${node.tagName}>`, location: locationOf(node) };
    const attribute = node.attrs.find((attr) => attr.name.includes(marker));
    if (attribute)
      return {
        what: `${attribute.name}="${attribute.value}" on <${node.tagName}>`,
        location: node.sourceCodeLocation?.attrs?.[attribute.name] ?? locationOf(node),
      };
  }
  return undefined;
}

/** Script types a browser runs; any other type (application/json…) is a data block, never run. */
const RUN_AS_SCRIPT = /^\s*(|module|(text|application)\/(x-)?(java|ecma)script)\s*$/i;
/** Attributes whose value a browser loads as a URL, where `javascript:` runs the rest as code. */
const URL_ATTRIBUTES = new Set(["href", "src", "action", "formaction", "xlink:href", "data", "poster"]);

/**
 * Finds a value that became JavaScript code: in a script the browser runs, in an event handler attribute (its value
 * entity-decoded, as the browser runs it), or in a `javascript:` URL; and markup in an iframe's `srcdoc`, which is a
 * page of its own.
 */
function findCode(
  document: Node,
  marker: string,
): { what: string; context: ValueContext; location: Location | undefined } | undefined {
  for (const { node } of walk(document)) {
    if (!("tagName" in node)) continue;
    const tag = node.tagName;
    for (const attribute of node.attrs) {
      const { name, value } = attribute;
      const location = node.sourceCodeLocation?.attrs?.[name] ?? locationOf(node);
      if (!value.toLowerCase().includes(marker)) continue;
      if (name === "srcdoc") {
        const inner = findMarkup(parse(value), marker) ?? findCode(parse(value), marker);
        if (inner)
          return {
            what: inner.what,
            context: { where: `the srcdoc="…" attribute of <${tag}>, a page of its own`, kind: "attribute" },
            location,
          };
        continue;
      }
      const script = name.startsWith("on") ? value : URL_ATTRIBUTES.has(name) ? javascriptUrlCode(value) : undefined;
      const escaped = script === undefined ? undefined : codeOutsideStrings(script, marker);
      if (escaped)
        return {
          what: escaped,
          context: {
            where: `the ${name}="…" attribute of <${tag}>, which runs as JavaScript once its entities are decoded`,
            endedBy: "quote (' \" or `)",
            kind: "handler",
          },
          location,
        };
    }
    if (tag === "script" && RUN_AS_SCRIPT.test(node.attrs.find((attr) => attr.name === "type")?.value ?? "")) {
      const text = node.childNodes.map((child) => ("value" in child ? child.value : "")).join("");
      const escaped = text.toLowerCase().includes(marker) ? codeOutsideStrings(text, marker) : undefined;
      if (escaped)
        return {
          what: escaped,
          context: { where: "a <script>", endedBy: "quote (' \" or `)", kind: "script" },
          location: locationOf(node),
        };
    }
  }
  return undefined;
}

/** The code a `javascript:` URL runs (percent-decoded, as the browser does), or undefined for any other URL. */
function javascriptUrlCode(url: string): string | undefined {
  // A browser strips leading spaces and control characters, and tabs and newlines anywhere, before reading the scheme.
  let start = 0;
  while (start < url.length && url.charCodeAt(start) <= 0x20) start++;
  const cleaned = url.slice(start).replace(/[\t\n\r]/g, "");
  if (!/^javascript:/i.test(cleaned)) return undefined;
  const code = cleaned.slice("javascript:".length);
  try {
    return decodeURIComponent(code);
  } catch {
    return code;
  }
}

/**
 * What a marker became in a piece of JavaScript, read token by token as the engine reads it: undefined while every
 * marker sits inside a string, a template's text or a comment; else the code it made, or the point where the value
 * ended a string and left code the engine cannot read (a script that was broken before the value is not blamed).
 */
export function codeOutsideStrings(code: string, marker: string): string | undefined {
  const lower = code.toLowerCase();
  const first = lower.indexOf(marker);
  if (first === -1) return undefined;
  const inLiterals: [number, number][] = [];
  try {
    const tokens = tokenizer(code, {
      ecmaVersion: "latest",
      allowHashBang: true,
      allowReturnOutsideFunction: true,
      onComment: (_block, _text, start, end) => inLiterals.push([start, end]),
    });
    for (const token of tokens) {
      const label = token.type.label;
      if (label === "string" || label === "template" || label === "regexp") {
        inLiterals.push([token.start, token.end]);
        continue;
      }
      const text = lower.slice(token.start, token.end);
      if (text.includes(marker))
        return `JavaScript code: ${JSON.stringify(code.slice(token.start, token.end))}, outside any string`;
    }
  } catch (error) {
    const at = (error as { pos?: number }).pos ?? 0;
    // The value ended its string: what follows it no longer reads as JavaScript.
    if (at >= first)
      return `JavaScript code the engine cannot read, from ${JSON.stringify(around(code.slice(first, first + 60), marker))}: the value ended the string it was put in`;
  }
  return undefined;
}

/** Every node of a tree, in document order, with the element it is in. */
function* walk(node: Node, parent?: Element): Generator<{ node: Node; parent: Element | undefined }> {
  yield { node, parent };
  const inside = "tagName" in node ? node : parent;
  for (const child of childrenOf(node)) yield* walk(child, inside);
}

/**
 * Whether every marker in a text shows within the text typed: whole, or cut short (a long value shortened in a menu,
 * or its first characters quoted), where what follows the cut is the end of the text, white space, an ellipsis or a
 * punctuation mark; never other characters in place of the value's own. White space is folded and case ignored, as
 * the other checks read a page.
 */
export function shownAsTyped(text: string, typed: string, marker: string): boolean {
  let rest = folded(text);
  const value = folded(typed).trim();
  const lead = value.indexOf(marker);
  for (let at = rest.indexOf(marker); at !== -1; at = rest.indexOf(marker)) {
    // Where the value would begin, if this marker is the value's first one.
    const start = at - lead;
    if (lead < 0 || start < 0) return false;
    const kept = commonPrefix(rest.slice(start), value);
    const cutShort = kept >= lead + marker.length && /^($|\s|…|[.,;:!?)\]])/.test(rest.slice(start + kept));
    if (kept < value.length && !cutShort) return false;
    rest = rest.slice(0, start) + rest.slice(start + kept);
  }
  return true;
}

function commonPrefix(a: string, b: string): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length++;
  return length;
}

/** Where the character at `offset` sits in the parsed page: the innermost text, comment, or start tag holding it. */
function contextAt(document: Node, page: string, offset: number): ValueContext {
  for (const { node, parent } of walk(document)) {
    const location = locationOf(node);
    if ("tagName" in node) {
      const startTag = node.sourceCodeLocation?.startTag;
      if (!contains(startTag, offset)) continue;
      const entry = Object.entries(node.sourceCodeLocation?.attrs ?? {}).find(([, at]) => contains(at, offset));
      if (!entry) return { where: `the tag <${node.tagName}> itself`, kind: "tag" };
      const [name, at] = entry;
      const quote = page.slice(at.startOffset, at.endOffset).replace(/^[^=]*=\s*/, "")[0];
      if (quote === '"' || quote === "'")
        return {
          where: `the ${name}=${quote}…${quote} attribute of <${node.tagName}>`,
          endedBy: quote,
          kind: "attribute",
        };
      return {
        where: `the unquoted ${name}=… attribute of <${node.tagName}>`,
        endedBy: "a space or >",
        kind: "attribute",
      };
    }
    if (!contains(location, offset)) continue;
    if (node.nodeName === "#comment") return { where: "an HTML comment", endedBy: "--> (or --!>)", kind: "comment" };
    if (node.nodeName !== "#text" || !parent) continue;
    const tag = parent.tagName;
    if (tag === "script") return { where: "a <script>", endedBy: "</script>", kind: "script" };
    if (RCDATA.has(tag)) return { where: `the <${tag}>`, endedBy: `</${tag}>`, kind: "rcdata" };
    if (RAW_TEXT.has(tag)) return { where: `a <${tag}>`, endedBy: `</${tag}>`, kind: "raw-text" };
    return { where: `the text of <${tag}>`, kind: "text" };
  }
  return { where: "the page", kind: "page" };
}
