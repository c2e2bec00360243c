import { existsSync, statSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import GithubSlugger from "github-slugger";
import MarkdownIt from "markdown-it";
import { SafeHtml } from "@cookie-course/cookie-utils";

/**
 * Renders one of the course's Markdown files (the lesson, an exercise's README) as the workbook shows it: headings
 * get GitHub's ids, so in-page links work as they do on GitHub; links to the course's own files become the
 * workbook's pages for them. Raw HTML in the Markdown is shown as text: the course's files need none.
 *
 * @param file the Markdown file's path inside `root`, with `/`: "exercises/01-set-datetime-cookie/README.md"
 * @param appFrame whether the page shows the app in a frame named `app` (an exercise's page): only there does a
 *   link to where `pnpm dev` serves the app (http://localhost:3000/…) open the app's path in the frame. Elsewhere
 *   it stays as written: the workbook's own `/` is not the app's, and a page without the frame would open it.
 */
export function renderMarkdown(
  markdown: string,
  file: string,
  root: string,
  { appFrame = false }: { appFrame?: boolean } = {},
): SafeHtml {
  const renderer = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const slugger = new GithubSlugger();
  renderer.core.ruler.push("github_heading_ids", (state) => {
    state.tokens.forEach((token, index) => {
      if (token.type !== "heading_open") return;
      const text = state.tokens[index + 1]?.children?.map((child) => child.content).join("") ?? "";
      token.attrSet("id", slugger.slug(text));
    });
  });
  const defaultLink =
    renderer.renderer.rules.link_open ??
    ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
  renderer.renderer.rules.link_open = (tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const href = token.attrGet("href");
    if (href !== null) {
      const appPath = appFrame ? appHref(String(href)) : undefined;
      const local = workbookHref(String(href), file, root);
      if (appPath !== undefined) {
        // The READMEs say where `pnpm dev` serves the app; in the workbook the app runs in the page's frame.
        token.attrSet("href", appPath);
        token.attrSet("target", "app");
      } else if (appHref(String(href)) !== undefined) {
        token.attrSet(
          "title",
          "Where pnpm dev serves the app: run pnpm dev NN first (the workbook shows the app on each exercise's page)",
        );
      } else if (local === undefined) token.attrSet("rel", "noreferrer");
      else token.attrSet("href", local);
    }
    return defaultLink(tokens, index, options, env, self);
  };
  const defaultImage = renderer.renderer.rules.image!;
  renderer.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index]!;
    const src = token.attrGet("src");
    const local = src === null ? undefined : workbookHref(String(src), file, root);
    if (local !== undefined) token.attrSet("src", local);
    return defaultImage(tokens, index, options, env, self);
  };
  // HTML comments (the generators' markers) are invisible on GitHub: here too, rather than shown as text.
  return new SafeHtml(renderer.render(markdown.replace(/<!--[\s\S]*?-->\n?/g, "")));
}

/**
 * Where a link of a course file leads in the workbook, or undefined for a link that leaves the course (https:…)
 * or stays on the page (#…). The lesson and the exercises' READMEs have pages of their own; any other file or
 * folder of the course is shown under /files/.
 */
export function workbookHref(href: string, file: string, root: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#") || href.startsWith("//")) return undefined;
  const [pathPart = "", hash = ""] = href.split(/(?=#)/);
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    // A malformed escape (%E0%A4%A) leads nowhere in the course: the link is left as written.
    return undefined;
  }
  const target = posix.normalize(posix.join(posix.dirname(file), decoded));
  if (target.startsWith("../") || target === "..") return undefined;
  if (target === "lesson/README.md") return `/lesson${hash}`;
  const exercise = /^exercises\/(\d{2}-[a-z0-9-]+)\/(?:README\.md)?$/.exec(
    target.endsWith("/") ? target : `${target}${isFolder(root, target) ? "/" : ""}`,
  );
  if (exercise) return `/exercises/${exercise[1]}${hash}`;
  return `/files/${target.split("/").map(encodeURIComponent).join("/")}${isFolder(root, target) && !target.endsWith("/") ? "/" : ""}${hash}`;
}

/** The app's own path, for a link to where `pnpm dev` serves it (http://localhost:3000/…); else undefined. */
export function appHref(href: string): string | undefined {
  const match = /^http:\/\/localhost:3000(\/[^\s]*)?$/.exec(href);
  return match ? (match[1] ?? "/") : undefined;
}

function isFolder(root: string, target: string): boolean {
  const path = join(root, ...target.split("/"));
  return existsSync(path) && statSync(path).isDirectory();
}

/** A file's path inside the course, with `/` on every system. */
export function coursePath(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}
