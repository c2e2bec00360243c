import { percentDecoded } from "./session-cookie.js";

/**
 * How a person hides a text in a cookie and reads it back: the encodings that carry data in cookies (percent, base64
 * and base64url as cookie-session and JWTs use, base32, hex), one inside another, and the text turned round or in
 * rot13. Each run of an encoding's characters is read from each of its first offsets, so that the text is found after
 * a prefix (`v1|…`), behind a separator that is not `.`, or glued to a random id (express-session's `genid`).
 */
export function holdsText(cookieText: string, text: string): boolean {
  const forms = disguises(text.toLowerCase());
  return readings(cookieText).some((reading) => forms.some((form) => reading.toLowerCase().includes(form)));
}

/** How many layers of encoding are taken off: base64 of hex, hex of a percent-encoded text. */
const LAYERS = 3;
/** The most readings of one cookie text: a 4 kB value of base64 has many runs and offsets. */
const MAX_READINGS = 4_000;

const DECODERS: readonly {
  readonly run: RegExp;
  readonly offsets: number;
  readonly decode: (run: string) => string;
}[] = [
  { run: /[A-Za-z0-9+/_-]{6,}/g, offsets: 4, decode: (run) => Buffer.from(run, "base64").toString("latin1") },
  { run: /[A-Za-z2-7]{8,}/g, offsets: 8, decode: base32Decoded },
  { run: /[0-9A-Fa-f]{8,}/g, offsets: 2, decode: (run) => Buffer.from(run, "hex").toString("latin1") },
];

/** The text, and every text that taking off up to {@link LAYERS} encodings gives. */
function readings(text: string): string[] {
  const seen = new Set<string>([text]);
  let layer = [text];
  for (let depth = 0; depth < LAYERS && seen.size < MAX_READINGS; depth++) {
    const next: string[] = [];
    const add = (reading: string) => {
      if (reading.length < 4 || seen.has(reading) || seen.size >= MAX_READINGS) return;
      seen.add(reading);
      next.push(reading);
    };
    for (const current of layer) {
      add(percentDecoded(current));
      // Bytes read as Latin-1 keep ASCII as it is; UTF-8 as well, for a name beyond ASCII.
      for (const { run, offsets, decode } of DECODERS) {
        for (const [match] of current.matchAll(run)) {
          for (let offset = 0; offset < offsets; offset++) {
            const decoded = decode(match.slice(offset));
            add(decoded);
            add(Buffer.from(decoded, "latin1").toString("utf8"));
          }
        }
      }
    }
    layer = next;
  }
  return [...seen];
}

/** The text as it is, turned round, in rot13, and both: what a person tries who wants it not to show. */
function disguises(text: string): string[] {
  const reversed = [...text].reverse().join("");
  return [...new Set([text, reversed, rot13(text), rot13(reversed)])];
}

function rot13(text: string): string {
  return text.replace(/[a-z]/gi, (letter) => {
    const base = letter <= "Z" ? 65 : 97;
    return String.fromCharCode(((letter.charCodeAt(0) - base + 13) % 26) + base);
  });
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32, either case, padding left off. */
function base32Decoded(run: string): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const char of run.toUpperCase()) {
    const index = BASE32.indexOf(char);
    if (index < 0) break;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  return out;
}
