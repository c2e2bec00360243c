import { randomBytes } from "node:crypto";
import { cutUtf16 } from "../sandbox/text.js";
import { parse, type DefaultTreeAdapterMap } from "parse5";

type Node = DefaultTreeAdapterMap["node"];

/**
 * Hostile cookie values for one grading run: each carries a fresh random marker, so no app can recognise a
 * published payload, and each tries to become markup in one of the places a page can put a value: element text,
 * a double-quoted, single-quoted or unquoted attribute, or a script. Some start with a date-time that loose
 * validators (Date.parse) accept.
 */
export function hostilePayloads(stored: string): { marker: string; values: string[] } {
  const marker = `m${randomBytes(4).toString("hex")}`;
  const element = `<${marker}>`;
  const attribute = `${marker}=1`;
  const values = [
    element,
    `<img src=x ${attribute}>`,
    `"><${marker}>`,
    `'><${marker}>`,
    `x ${attribute}`,
    `" ${marker}="1`,
    `' ${marker}='1`,
    `</script><${marker}>`,
    `${stored}"><${marker}>`,
    `${stored}" ${marker}="1`,
    `${stored}' ${marker}='1`,
    `${stored} ${attribute}`,
    // Date.parse accepts these: "it parses as a date" does not make a value safe to put in a page.
    `Fri May 16 2031 08:09:10 GMT+0000 (<${marker}>)`,
    `Fri May 16 2031 08:09:10 GMT+0000 (" ${marker}="1)`,
    `Fri May 16 2031 08:09:10 GMT+0000 (' ${marker}='1)`,
    `Fri May 16 2031 08:09:10 GMT+0000 ( ${attribute})`,
  ];
  return { marker, values };
}

/** Where a marker became markup in a page, as a browser parses it: the element or attribute it made, and its line. */
export interface MarkupFound {
  /** `<m1a2b3c4d>` or `m1a2b3c4d="1" on <time>`. */
  readonly what: string;
  /** The page's line where it landed, trimmed, cut around the marker when long. */
  readonly line: string;
  /** That line's number in the page, from 1. */
  readonly lineNumber: number;
}

/** The part of a long line around the marker: the learner needs to see where it landed, not the whole line. */
function around(line: string, marker: string): string {
  const text = line.trim();
  if (text.length <= 200) return text;
  const at = Math.max(text.indexOf(marker), 0);
  // Start and end between characters: a cut through an emoji would leave half of it, which strict JSON rejects.
  let start = Math.max(at - 100, 0);
  if (start > 0 && /[\uDC00-\uDFFF]/.test(text[start] ?? "")) start--;
  const kept = cutUtf16(text.slice(start), 200);
  return `${start > 0 ? "…" : ""}${kept}${start + kept.length < text.length ? "…" : ""}`;
}

/**
 * Parses a page as HTML (parse5 follows the HTML standard, as browsers do) and finds an element or attribute whose
 * name holds the marker: proof that the value was put into the page as markup, not as text.
 */
export function findInjectedMarkup(html: string, marker: string): MarkupFound | undefined {
  const document = parse(html, { sourceCodeLocationInfo: true });
  const lines = html.split("\n");
  const lineAt = (node: Node) => {
    const location = "sourceCodeLocation" in node ? node.sourceCodeLocation : undefined;
    const lineNumber = location?.startLine ?? 0;
    return { line: around(lines[lineNumber - 1] ?? "", marker), lineNumber };
  };
  const visit = (node: Node): MarkupFound | undefined => {
    if ("tagName" in node) {
      if (node.tagName.includes(marker)) return { what: `<${node.tagName}>`, ...lineAt(node) };
      const attribute = node.attrs.find((attr) => attr.name.includes(marker));
      if (attribute) return { what: `${attribute.name}="${attribute.value}" on <${node.tagName}>`, ...lineAt(node) };
    }
    const children = "childNodes" in node ? node.childNodes : [];
    const content = "content" in node ? [node.content as Node] : [];
    for (const child of [...children, ...content]) {
      const found = visit(child);
      if (found) return found;
    }
    return undefined;
  };
  return visit(document);
}
