import { randomBytes } from "node:crypto";

/**
 * Secrets that are published: the examples of express-session's and cookie-parser's docs, tutorials' placeholders,
 * and what people type when a secret is asked for. A server that accepts a signature made with one of them (often as
 * a second secret in a list, "for the old release") accepts what anyone can sign.
 */
export const WELL_KNOWN_SECRETS: readonly string[] = [
  "keyboard cat",
  "secret",
  "changeme",
  "change-me",
  "your-secret-key",
  "your secret key",
  "supersecret",
  "mysecret",
  "shhhhh",
  "s3cr3t",
  "password",
  "development",
  "test",
];

/**
 * The ways one correct signature `<value>.<signature>` is tampered with that a check which does not compare the whole
 * signature lets through: its last character changed, cut to its first half, extended, or left empty. A check that
 * compares the whole signature (cookie-signature's unsign) rejects them all.
 */
export function tamperedSignatures(signed: string): readonly [string, string][] {
  const dot = signed.lastIndexOf(".");
  const value = signed.slice(0, dot);
  const signature = signed.slice(dot + 1);
  return [
    [`${value}.${signature.slice(0, -1)}${flippedLast(signature)}`, "for a signature whose last character was changed"],
    [`${value}.${signature.slice(0, Math.ceil(signature.length / 2))}`, "for a signature cut to its first half"],
    [`${value}.${signature}${randomBytes(3).toString("base64url")}`, "for a signature with characters added"],
    [`${value}.`, "for an empty signature"],
  ];
}

/**
 * One moment written in each form a date-time is commonly stored in: a server that still honours an unsigned value
 * in an older form ("the previous release stored it without milliseconds") trusts what anyone can write.
 */
export function writtenForms(moment: Date): readonly [string, string][] {
  const iso = moment.toISOString();
  return [
    [iso, "for an unsigned value (anyone can write one)"],
    [iso.replace(/\.\d{3}Z$/, "Z"), "for an unsigned value written without milliseconds"],
    [iso.replace("Z", "+00:00"), "for an unsigned value written with an offset"],
    [moment.toUTCString(), "for an unsigned value written as an HTTP date"],
    [String(moment.getTime()), "for an unsigned value written as milliseconds since 1970"],
  ];
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/**
 * The signature's last character with its highest bit flipped: the last character of an unpadded base64 signature
 * holds only a few bits of data, and flipping one of the others would change the text but not the bytes, which an
 * app that compares decoded bytes rightly accepts.
 */
function flippedLast(signature: string): string {
  const index = BASE64.indexOf(signature.at(-1) ?? "A");
  return BASE64[(index < 0 ? 0 : index) ^ 0b100000] ?? "A";
}

/**
 * The other spellings of a cookie's name (`last_visit`: lastVisit, LastVisit, last-visit, lastvisit, LAST_VISIT,
 * last.visit, and its last word, visit): a server that still reads the value an older release stored unsigned under
 * another name ("the first release called it lastVisit") trusts what anyone can write.
 */
export function otherSpellings(name: string): readonly string[] {
  const words = name
    .split(/[_\-.]|(?<=[a-z])(?=[A-Z])/)
    .filter(Boolean)
    .map((word) => word.toLowerCase());
  const capital = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
  const spellings = [
    words.map((word, index) => (index === 0 ? word : capital(word))).join(""),
    words.map(capital).join(""),
    words.join("-"),
    words.join(""),
    words.join("_").toUpperCase(),
    words.join("_"),
    words.join("."),
    words.at(-1) ?? name,
  ];
  return [...new Set(spellings)].filter((spelling) => spelling !== name);
}
