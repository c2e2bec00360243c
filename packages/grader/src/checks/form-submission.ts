import { parse, type DefaultTreeAdapterMap } from "parse5";

type Node = DefaultTreeAdapterMap["node"];
type Element = DefaultTreeAdapterMap["element"];

/**
 * What a visitor can make a browser send from a page: following a link, or pressing a form's submit button. Read as
 * the HTML standard has a browser do it (and the browser suite confirms in Chromium, test/safe-methods.test.ts): a
 * button's `formmethod` and `formaction` win over its form's, a disabled button cannot be pressed, a disabled field
 * is not sent, and a GET form's fields replace the query of its action.
 */
export interface PageRequest {
  readonly kind: "link" | "button";
  readonly method: "GET" | "POST";
  /** The whole URL the browser asks for (a GET form's fields in its query). */
  readonly url: string;
  /** A POST's fields, in order, as the form's data set sends them (application/x-www-form-urlencoded). */
  readonly fields: readonly (readonly [string, string])[];
  /** The button's label or the link's text, folded, for messages. */
  readonly label: string;
  /** Which attribute decided the method, when it is the button's own (`formmethod="get"`), for messages. */
  readonly methodFrom: "form" | "button" | "default";
}

/** The most of a page read: an app may answer with megabytes. */
const MAX_PAGE = 200_000;

/** Every link and every submit button a visitor can press on a page that `pageUrl` answered, in document order. */
export function pageRequests(html: string, pageUrl: string): PageRequest[] {
  const document = parse(html.slice(0, MAX_PAGE));
  const elements = descendants(document);
  const base = baseUrl(elements, pageUrl);
  const requests: PageRequest[] = [];
  for (const element of elements) {
    const link = linkOf(element, base);
    if (link) requests.push(link);
    if (!isSubmitButton(element) || isDisabled(element)) continue;
    const form = formOwner(element, elements);
    const submission = form && submissionOf(element, form, elements, base, pageUrl);
    if (submission) requests.push(submission);
  }
  return requests;
}

/** A link's request: `<a href>` and `<area href>`, a GET of the URL as written (resolved against the page). */
function linkOf(element: Element, base: string): PageRequest | undefined {
  if (element.tagName !== "a" && element.tagName !== "area") return undefined;
  const href = attribute(element, "href");
  const url = href === undefined ? undefined : resolved(href, base);
  if (url === undefined || !/^https?:$/.test(new URL(url).protocol)) return undefined;
  return {
    kind: "link",
    method: "GET",
    url: withoutFragment(url),
    fields: [],
    label: textOf(element),
    methodFrom: "default",
  };
}

/** What pressing `button` of `form` sends, or nothing when it sends nothing (a `dialog` method, a `javascript:` action). */
function submissionOf(
  button: Element,
  form: Element,
  elements: readonly Element[],
  base: string,
  pageUrl: string,
): PageRequest | undefined {
  const buttonMethod = methodOf(attribute(button, "formmethod"));
  const formMethod = methodOf(attribute(form, "method"));
  const method = buttonMethod ?? formMethod ?? "get";
  if (method === "dialog") return undefined;
  // An action that is absent or empty is the document's own URL (HTML §4.10.21.3 step 8), not the <base>.
  const action = attribute(button, "formaction") ?? attribute(form, "action") ?? "";
  const target = action.trim() === "" ? pageUrl : resolved(action, base);
  if (target === undefined || !/^https?:$/.test(new URL(target).protocol)) return undefined;
  const fields = formData(form, button, elements);
  const methodFrom = buttonMethod !== undefined ? "button" : formMethod !== undefined ? "form" : "default";
  const label = textOf(button) || attribute(button, "value") || "";
  if (method === "post")
    return { kind: "button", method: "POST", url: withoutFragment(target), fields, label, methodFrom };
  // A GET form's data set replaces the action's query (HTML §4.10.21.3, "mutate action URL"): an empty one
  // leaves a bare "?", as Chromium sends it.
  const url = new URL(target);
  url.search = "";
  url.hash = "";
  return {
    kind: "button",
    method: "GET",
    url: `${url.href}?${new URLSearchParams(fields).toString()}`,
    fields: [],
    label,
    methodFrom,
  };
}

/** A `method` or `formmethod` attribute's state: an unknown value is the form's default (GET), absent is none. */
function methodOf(value: string | undefined): "get" | "post" | "dialog" | undefined {
  if (value === undefined) return undefined;
  const method = value.trim().toLowerCase();
  return method === "post" || method === "dialog" ? method : "get";
}

/** The form data set a press of `submitter` sends (HTML §4.10.21.4): enabled, named fields, checked boxes, the submitter. */
function formData(form: Element, submitter: Element, elements: readonly Element[]): [string, string][] {
  const fields: [string, string][] = [];
  for (const element of elements) {
    if (!["input", "button", "select", "textarea"].includes(element.tagName)) continue;
    if (formOwner(element, elements) !== form || isDisabled(element)) continue;
    const name = attribute(element, "name");
    const type = (attribute(element, "type") ?? "").toLowerCase();
    if (element.tagName === "input" && type === "image") {
      if (element !== submitter) continue;
      // A press at the image's corner: x and y, named after it when it has a name.
      const prefix = name ? `${name}.` : "";
      fields.push([`${prefix}x`, "0"], [`${prefix}y`, "0"]);
      continue;
    }
    if (!name) continue;
    if (isSubmitButton(element) || element.tagName === "button" || ["button", "reset"].includes(type)) {
      if (element === submitter) fields.push([name, attribute(element, "value") ?? ""]);
      continue;
    }
    if (element.tagName === "select") {
      for (const option of selectedOptions(element)) fields.push([name, attribute(option, "value") ?? textOf(option)]);
      continue;
    }
    if (element.tagName === "textarea") {
      fields.push([name, textOf(element, false)]);
      continue;
    }
    if (type === "checkbox" || type === "radio") {
      if (attribute(element, "checked") !== undefined) fields.push([name, attribute(element, "value") ?? "on"]);
      continue;
    }
    if (type === "file") continue;
    fields.push([name, attribute(element, "value") ?? ""]);
  }
  return fields;
}

/** A select's options that are sent: the `selected` ones, or else the first enabled one of a single select. */
function selectedOptions(select: Element): Element[] {
  const options = descendants(select).filter(
    (element) => element.tagName === "option" && attribute(element, "disabled") === undefined,
  );
  const selected = options.filter((option) => attribute(option, "selected") !== undefined);
  if (selected.length > 0 || attribute(select, "multiple") !== undefined)
    return attribute(select, "multiple") !== undefined ? selected : selected.slice(-1);
  return options.slice(0, 1);
}

/** A button that submits its form when pressed: `<button>` of type submit (the default) and `<input type=submit|image>`. */
function isSubmitButton(element: Element): boolean {
  const type = (attribute(element, "type") ?? "").trim().toLowerCase();
  if (element.tagName === "button") return type !== "button" && type !== "reset";
  return element.tagName === "input" && (type === "submit" || type === "image");
}

/**
 * Whether a form control is disabled (HTML §4.10.18.5): its own `disabled`, or a disabled fieldset around it,
 * unless it sits in that fieldset's first legend.
 */
function isDisabled(element: Element): boolean {
  if (attribute(element, "disabled") !== undefined) return true;
  let child: Element = element;
  for (let parent = parentOf(element); parent; child = parent, parent = parentOf(parent)) {
    if (parent.tagName !== "fieldset" || attribute(parent, "disabled") === undefined) continue;
    const firstLegend = parent.childNodes.find(
      (node): node is Element => "tagName" in node && node.tagName === "legend",
    );
    if (!(firstLegend && (child === firstLegend || descendants(firstLegend).includes(element)))) return true;
  }
  return false;
}

/** The form a control belongs to: the one its `form` attribute names by id, else the nearest form around it. */
function formOwner(element: Element, elements: readonly Element[]): Element | undefined {
  const named = attribute(element, "form");
  if (named !== undefined)
    return elements.find((candidate) => candidate.tagName === "form" && attribute(candidate, "id") === named);
  for (let parent = parentOf(element); parent; parent = parentOf(parent)) if (parent.tagName === "form") return parent;
  return undefined;
}

/** The URL links and actions resolve against: the first `<base href>`, else the page's own. */
function baseUrl(elements: readonly Element[], pageUrl: string): string {
  const href = elements.find((element) => element.tagName === "base" && attribute(element, "href") !== undefined);
  return (href && resolved(attribute(href, "href")!, pageUrl)) ?? pageUrl;
}

function resolved(reference: string, base: string): string | undefined {
  try {
    // A browser strips the ASCII white space around a URL attribute's value.
    return new URL(reference.trim(), base).href;
  } catch {
    return undefined;
  }
}

function withoutFragment(url: string): string {
  const parsed = new URL(url);
  parsed.hash = "";
  return parsed.href;
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value;
}

function parentOf(element: Element): Element | undefined {
  const parent = element.parentNode;
  return parent && "tagName" in parent ? parent : undefined;
}

/** Every element under `node`, in document order (not a template's content: that is no part of the page). */
function descendants(node: Node): Element[] {
  const found: Element[] = [];
  const visit = (current: Node) => {
    for (const child of "childNodes" in current ? current.childNodes : []) {
      if ("tagName" in child) found.push(child);
      visit(child);
    }
  };
  visit(node);
  return found;
}

/** An element's text: every text node under it, white space folded unless asked to keep it. */
function textOf(element: Element, fold = true): string {
  const parts: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeName === "#text" && "value" in node) parts.push(node.value);
    for (const child of "childNodes" in node ? node.childNodes : []) visit(child);
  };
  visit(element);
  const text = parts.join("");
  return fold ? text.replace(/\s+/g, " ").trim() : text;
}
