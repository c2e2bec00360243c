import escape from "escape-html";

/**
 * Escapes a value for HTML text and for quoted attribute values: `&`, `<`, `>`, `"` and `'` become entities, so the
 * value can never open a tag or leave an attribute (HTML Living Standard §13.1.2.3 "Attributes" and §13.1.3
 * "Text"). Lone UTF-16 surrogates, which UTF-8 cannot encode (RFC 3629 §3), become U+FFFD, as the WHATWG Encoding
 * Standard's UTF-8 encoder would make them, so the page's bytes do not depend on which encoder wrote them.
 *
 * Anything read from a cookie is attacker-controlled (RFC 6265 §8.6): escape it before it reaches a page, or it is
 * a reflected XSS (OWASP "Cross Site Scripting Prevention Cheat Sheet", output encoding for HTML contexts).
 *
 * Any value is accepted and turned into text with `String(value)`, so `null` becomes `"null"`.
 */
export function escapeHtml(value: unknown): string {
  return escape(String(value)).toWellFormed();
}

/** A piece of HTML that is already safe: produced by {@link html}, so its parts were escaped. */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string) {
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** What may be placed in an {@link html} template: text (escaped), numbers, safe fragments, and lists of them. */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[];

/**
 * A template tag that escapes every interpolated value, so a page built with it is safe by construction:
 *
 * @example
 * html`<p>Hello, ${name}!</p>`            // name is escaped
 * html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>` // nested fragments are kept as they are
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? "";
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? "");
  });
  return new SafeHtml(markup);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (isHtmlList(value)) return value.map(render).join("");
  return escapeHtml(value);
}

// `Array.isArray` narrows to `any[]` and leaves `readonly` arrays in the other branch; this guard keeps the types.
function isHtmlList(value: HtmlValue): value is readonly HtmlValue[] {
  return Array.isArray(value);
}
