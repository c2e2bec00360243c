/** One `name=value` attribute of a Set-Cookie line (or a bare flag such as `Secure`, whose value is ""). */
export interface CookieAttribute {
  /** As sent: `Max-Age`, `max-age`… Compare case-insensitively. */
  readonly name: string;
  readonly value: string;
}

/** A Set-Cookie line cut into its parts, before any attribute is interpreted. */
export interface SetCookieParts {
  readonly name: string;
  readonly value: string;
  /** Every attribute in the order sent. */
  readonly attributes: readonly CookieAttribute[];
}

/**
 * Cuts a Set-Cookie line as RFC 6265bis §5.6 does: the name-value pair up to
 * the first `;`, then one attribute per `;`. A pair without `=` is a value with an empty name: browsers keep such
 * nameless cookies (RFC 6265bis §5.6; RFC 6265 §5.2 would drop them).
 */
export function splitSetCookie(line: string): SetCookieParts {
  const [pair = "", ...avs] = line.split(";");
  const eq = pair.indexOf("=");
  const attributes = avs
    .map((av): CookieAttribute => {
      const sep = av.indexOf("=");
      return sep === -1
        ? { name: trimWsp(av), value: "" }
        : { name: trimWsp(av.slice(0, sep)), value: trimWsp(av.slice(sep + 1)) };
    })
    .filter((attribute) => attribute.name !== "");
  return {
    name: eq === -1 ? "" : trimWsp(pair.slice(0, eq)),
    value: trimWsp(eq === -1 ? pair : pair.slice(eq + 1)),
    attributes,
  };
}

/**
 * The size of a string in octets as the browser received it. Node sends and reads header values as latin1, one
 * octet per character, so a header string's length is its size on the wire.
 */
export function octets(text: string): number {
  return text.length;
}

/** RFC 6265bis §5.6 trims only WSP (space and horizontal tab), not the wider white space of String.prototype.trim. */
function trimWsp(text: string): string {
  return text.replace(/^[ \t]+|[ \t]+$/g, "");
}
