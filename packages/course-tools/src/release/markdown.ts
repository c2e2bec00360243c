import { existsSync } from "node:fs";
import { dirname, join, normalize } from "node:path";

// An inline Markdown link or image: [text](target) or ![alt](target "title").
const LINK = /(!?)\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;

/** Whether a link target points into the repository (not a web address, a mail address or a heading). */
function isLocal(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith("#") && !target.startsWith("//");
}

/** The file or folder a local link points at, from the folder of the Markdown file that holds it. */
export function linkTarget(root: string, markdownFile: string, target: string): string {
  return normalize(join(root, dirname(markdownFile), decodeURI(target.split("#")[0]!)));
}

/** Local links in a Markdown text, as written. */
export function localLinks(markdown: string): string[] {
  return [...markdown.matchAll(LINK)].map((match) => match[3]!).filter(isLocal);
}

/**
 * A link to something the edition does not hold (an exercise not released yet, a folder left out) becomes its
 * text: the sentence still reads, and nothing leads nowhere.
 */
export function unlinkMissing(markdown: string, root: string, markdownFile: string): string {
  return markdown.replace(LINK, (whole, image: string, text: string, target: string) => {
    if (!isLocal(target) || existsSync(linkTarget(root, markdownFile, target))) return whole;
    return image ? "" : text;
  });
}

/** The text without the section under a `## heading` (up to the next heading of the same or a higher level). */
export function withoutSection(markdown: string, heading: string): string {
  const lines = markdown.split("\n");
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ /, "").trim() === heading);
  if (start === -1) return markdown;
  const level = /^#+/.exec(lines[start]!)![0].length;
  let end = start + 1;
  let fenced = false;
  for (; end < lines.length; end++) {
    if (/^(```|~~~)/.test(lines[end]!)) fenced = !fenced;
    const heading = !fenced && /^(#+) /.exec(lines[end]!);
    if (heading && heading[1]!.length <= level) break;
  }
  return [...lines.slice(0, start), ...lines.slice(end)].join("\n");
}
