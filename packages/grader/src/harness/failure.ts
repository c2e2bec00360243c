import { describeExchange, type Exchange } from "./exchange.js";

export interface FailureDetails {
  /** The exchange that shows the problem; it is written out attribute by attribute. */
  readonly exchange?: Exchange;
  /** The cookie whose Set-Cookie lines matter (others are left out of the message). */
  readonly cookieName?: string;
  readonly expected: string;
  readonly hint: string;
}

/**
 * A check that failed, with a message that teaches: what went wrong in one sentence, the request and what came
 * back, what was expected, and a hint. It is the only error a check throws on purpose; its stack is never shown.
 */
export class CheckFailure extends Error {
  override name = "CheckFailure";

  constructor(summary: string, details: FailureDetails) {
    const parts = [summary];
    if (details.exchange) parts.push(describeExchange(details.exchange, details.cookieName));
    // A crash is the first thing to fix, whatever the check was looking for.
    const crashed = (details.exchange?.status ?? 0) >= 500;
    parts.push(
      `Expected: ${details.expected}`,
      `Hint:     ${crashed ? "Your handler threw an error (above, with its line): fix that first. " : ""}${details.hint}`,
    );
    super(parts.join("\n"));
  }
}

/** Throws a {@link CheckFailure}. */
export function fail(summary: string, details: FailureDetails): never {
  throw new CheckFailure(summary, details);
}
