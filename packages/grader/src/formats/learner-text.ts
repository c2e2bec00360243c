import { cutUtf8, wellFormed } from "../sandbox/text.js";

/**
 * Characters a report shows as `\u001b` rather than as themselves: C0 controls but tab and newline, DEL, C1
 * controls, the bidirectional overrides and isolates (a message that reads otherwise than it says, as in "Trojan
 * Source"), and the two noncharacters XML 1.0 cannot hold. NUL alone is enough to make a platform refuse a whole
 * results.json (PostgreSQL's jsonb has no place for \u0000).
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]/g;

/**
 * Text that a learner's app chose (an error, a page, what it printed), made fit for any report: well-formed (a lone
 * surrogate becomes U+FFFD), line ends made `\n`, and the characters above shown as escapes.
 */
export function printable(text: string): string {
  return wellFormed(text)
    .replace(/\r\n?/g, "\n")
    .replace(UNPRINTABLE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** `text` cut to `maxBytes` of UTF-8 between two characters, `notice` included, when it is longer. */
export function limitBytes(text: string, maxBytes: number, notice: string): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  return `${cutUtf8(text, maxBytes - Buffer.byteLength(notice, "utf8"))}${notice}`;
}
