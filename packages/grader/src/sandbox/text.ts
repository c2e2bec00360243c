/**
 * Cutting text that a learner's app wrote (its output, its errors) to a size, without ever splitting a character.
 * A cut inside a surrogate pair leaves a lone surrogate, which JSON.stringify writes as `\udXXX`: strict JSON
 * parsers (serde_json, for one) reject the whole report, and XML cannot hold it at all. Every function here reads
 * its input once: learner text can be megabytes long.
 */

/** UTF-8 bytes of the code point that starts at `index`, and its length in UTF-16 units. */
function codePointAt(text: string, index: number): { bytes: number; units: number } {
  const unit = text.charCodeAt(index);
  if (unit < 0x80) return { bytes: 1, units: 1 };
  if (unit < 0x800) return { bytes: 2, units: 1 };
  const next = text.charCodeAt(index + 1);
  if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) return { bytes: 4, units: 2 };
  // Any other unit, a lone surrogate included (written as U+FFFD, 3 bytes).
  return { bytes: 3, units: 1 };
}

/** The longest start of `text` that is at most `maxBytes` long in UTF-8 and ends between two code points. */
export function cutUtf8(text: string, maxBytes: number): string {
  // Three bytes a unit at most (a pair is 4 bytes for 2 units): short text needs no counting.
  if (text.length * 3 <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  while (end < text.length) {
    const { bytes: size, units } = codePointAt(text, end);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += units;
  }
  return text.slice(0, end);
}

/** The longest start of `text` that is at most `maxUnits` UTF-16 units long and does not end inside a pair. */
export function cutUtf16(text: string, maxUnits: number): string {
  if (text.length <= maxUnits) return text;
  const last = text.charCodeAt(maxUnits - 1);
  const end = last >= 0xd800 && last <= 0xdbff ? maxUnits - 1 : maxUnits;
  return text.slice(0, Math.max(0, end));
}

/** The first `max` code points of `text` (a character of the Exercism spec, or of Ruby's String#length). */
export function cutCodePoints(text: string, max: number): string {
  if (text.length <= max) return text;
  let count = 0;
  let end = 0;
  while (end < text.length && count < max) {
    end += codePointAt(text, end).units;
    count++;
  }
  return text.slice(0, end);
}

/** How many code points `text` holds. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let index = 0; index < text.length; index += codePointAt(text, index).units) count++;
  return count;
}

/** `text`, with each lone surrogate (half of a pair, without its other half) replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.toWellFormed();
}

/**
 * The first `maxBytes` (UTF-8) of a stream of text, cut between characters, and how many bytes more there were:
 * what an app printed, kept for the report whatever it printed.
 */
export class CappedText {
  #text = "";
  #bytes = 0;
  #full = false;
  #dropped = 0;

  constructor(private readonly maxBytes: number) {}

  /** Adds a decoded chunk (a stream's setEncoding("utf8") never splits a character across two). */
  push(chunk: string): void {
    const kept = this.#full ? "" : cutUtf8(chunk, this.maxBytes - this.#bytes);
    this.#text += kept;
    this.#bytes += Buffer.byteLength(kept, "utf8");
    if (kept.length === chunk.length) return;
    // A character that did not fit whole ends what is kept: nothing shorter after it may slip into its room.
    this.#full = true;
    this.#dropped += Buffer.byteLength(chunk, "utf8") - Buffer.byteLength(kept, "utf8");
  }

  /** What was kept since the last call, with a note of what was not; undefined when nothing was written. */
  take(): string | undefined {
    const text =
      this.#text === "" && this.#dropped === 0
        ? undefined
        : this.#dropped > 0
          ? `${this.#text}\n… ${this.#dropped} more bytes not kept`
          : this.#text;
    this.#text = "";
    this.#bytes = 0;
    this.#full = false;
    this.#dropped = 0;
    return text;
  }

  /** What is kept so far. */
  get text(): string {
    return this.#text;
  }
}
