/**
 * Small pieces of wording shared by the recorder and the jar panel: values decoded as Express encodes them,
 * lifetimes in words, and control characters made visible.
 */

/**
 * A cookie value as the app meant it: `res.cookie` percent-encodes (encodeURIComponent), so the panel shows the
 * decoded form. A value that does not decode (a lone `%`) is shown as it is.
 */
export function decodeCookieValue(raw: string): string {
  if (!raw.includes("%")) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** "1 h 59 min", "3 days", "40 s": a duration a learner reads at a glance (the exact date sits beside it). */
export function durationInWords(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * A line with its control characters written out (`\u0001`): they are invisible on the page, and they are exactly
 * what a learner must see when a browser rejects a line for holding one.
 */
export function showControlCharacters(text: string): string {
  let shown = "";
  for (const character of text) {
    const code = character.charCodeAt(0);
    shown += (code < 0x20 && code !== 0x09) || code === 0x7f ? `\\u${code.toString(16).padStart(4, "0")}` : character;
  }
  return shown;
}

/** A long value cut for the page, saying how long it was: a 4 kB cookie would bury the panel. */
export function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters in all)` : text;
}
