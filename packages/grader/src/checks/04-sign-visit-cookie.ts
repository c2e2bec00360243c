import { randomBytes } from "node:crypto";
import { sign, unsign } from "cookie-signature";
import type { CheckGroup } from "../harness/check.js";
import { get } from "../harness/exchange.js";
import { learnerText } from "../harness/end-cause.js";
import { fail } from "../harness/failure.js";
import { AppAnswerError } from "../sandbox/app-process.js";
import { drawnMoment, expectNoVisitPage, pastVisit } from "./02-read-last-visit.js";
import { WELL_KNOWN_SECRETS, otherSpellings, tamperedSignatures, writtenForms } from "./forged-signatures.js";
import {
  FIRST_VISIT,
  VISIT_COOKIE,
  judgedLines,
  visitCookieTravelsAs,
  type VisitCookieFormat,
} from "./visit-cookie.js";

const EXERCISE = "04-sign-visit-cookie";
/** What cookie-parser puts before a signed value. */
const SIGNED = "s:";
const YEAR_MS = 365 * 86_400_000;

/** The visit cookie as cookie-parser signs it with the app's secret: `s:<value>.<HMAC>`. */
export function signedWith(secret: string): VisitCookieFormat {
  return {
    encode: (value) => `${SIGNED}${sign(value, secret)}`,
    decode: (stored) =>
      stored.startsWith(SIGNED) ? unsign(stored.slice(SIGNED.length), secret) || undefined : undefined,
  };
}

/** A Cookie header that holds this stored value exactly (no signing: the check decides what it sends). */
const rawCookie = (stored: string) => `${VISIT_COOKIE}=${encodeURIComponent(stored)}`;

export const checkGroup: CheckGroup = {
  exercise: EXERCISE,
  // From here on the visit cookie is signed with the app's COOKIE_SECRET: 01–03's checks send and read it so.
  adapts: visitCookieTravelsAs(({ cookieSecret }) => signedWith(cookieSecret)),
  adaptsHelp: {
    telltale: "02.shows-stored",
    change:
      "from 04 on, last_visit travels signed, so the earlier checks send it back signed, as a browser does once your app signs it. Read it where cookie-parser puts the cookies whose signature it has checked.",
    hints: [
      "The checks send last_visit back signed, as a browser does once your app signs it. Where does cookie-parser put a cookie whose signature it has checked? (The lesson's signed cookies section.)",
      "Given the secret, cookieParser(secret) checks each signed cookie and puts it in req.signedCookies; req.cookies keeps the unsigned ones only. A changed value is false there, which parseVisitTime reads as no visit.",
      "const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]); in GET /last-visit, in place of the line that reads req.cookies.",
    ],
  },
  checks: [
    {
      id: "04.signs-cookie",
      hints: [
        "Look at the Set-Cookie that GET / sends: its value is the date-time as it is. Anyone can change it in their browser. How could the server tell?",
        "cookie-parser signs and verifies cookies once it has a secret: app.use(cookieParser(secret)). Then res.cookie signs a cookie when its options say signed: true. The secret comes from process.env.COOKIE_SECRET.",
        "app.use(cookieParser(cookieSecret())); and in GET /: res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });",
      ],
      name: "Visiting / stores last_visit signed with the app's COOKIE_SECRET",
      points: 3,
      async run({ app, setNow, secrets }) {
        setNow(FIRST_VISIT);
        const exchange = await get(await app(), "/");
        const stored = judgedLines(exchange)
          .map(({ verdict }) => (verdict.accepted ? verdict.cookie.value : undefined))
          .findLast((value) => value !== undefined);
        const value = stored === undefined ? undefined : safeDecode(stored);
        if (
          value !== undefined &&
          value.startsWith(SIGNED) &&
          unsign(value.slice(SIGNED.length), secrets.cookieSecret) !== false
        )
          return;
        fail(
          value === undefined
            ? "GET / stores no last_visit cookie."
            : value.startsWith(SIGNED)
              ? "The cookie is signed, but not with the app's COOKIE_SECRET: the server could not verify it."
              : "The cookie is not signed: it holds the date-time as it is, which any visitor can change.",
          {
            exchange,
            cookieName: VISIT_COOKIE,
            expected: `a last_visit value signed with COOKIE_SECRET, as cookie-parser writes it: s:<date-time>.<signature>`,
            hint:
              value?.startsWith(SIGNED) === true
                ? "Take the secret from process.env.COOKIE_SECRET, never from the code: a secret written in the code is everyone's."
                : "A server can trust only a value it can check: cookie-parser can sign a cookie with a secret, and check it when it comes back (the lesson's signed cookies).",
          },
        );
      },
    },
    {
      id: "04.rejects-forged",
      hints: [
        "Which cookies does your /last-visit trust? Send it a last_visit you wrote yourself, without a signature: what does it show?",
        "cookie-parser puts the signed cookies whose signature holds in req.signedCookies (false when it does not), and the others in req.cookies. Read the visit from req.signedCookies only.",
        "const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);",
      ],
      name: "A visit cookie that is unsigned (under any spelling of its name), signed otherwise (a published secret too), or changed, reads 'No visit recorded yet'",
      points: 3,
      // A page that never shows a visit rejects every forgery too: this counts once it shows a signed one (02's
      // check, run in 04's signed terms).
      requires: ["04.signs-cookie", "02.shows-stored"],
      async run({ app, secrets }) {
        const server = await app();
        for (const moment of forgedVisits()) {
          const visit = moment.toISOString();
          const signedVisit = signedWith(secrets.cookieSecret).encode(visit);
          const forgeries: readonly [string, string][] = [
            ...writtenForms(moment),
            [signedWith(randomBytes(16).toString("hex")).encode(visit), "for a value signed with another secret"],
            ...WELL_KNOWN_SECRETS.map((secret): [string, string] => [
              signedWith(secret).encode(visit),
              `for a value signed with a published secret (${JSON.stringify(secret)})`,
            ]),
            ...tamperedSignatures(signedVisit),
            [
              signedVisit.replace(visit.slice(0, 4), String(Number(visit.slice(0, 4)) + 1)),
              "for a signed value changed after signing",
            ],
          ];
          for (const [stored, why] of forgeries)
            expectNoVisitPage(await get(server, "/last-visit", rawCookie(stored)), why, moment);
          // With no signed visit at all, the visit written under every other spelling of the cookie's name at once.
          const underOtherNames = otherSpellings(VISIT_COOKIE)
            .map((name) => `${name}=${encodeURIComponent(visit)}`)
            .join("; ");
          expectNoVisitPage(
            await get(server, "/last-visit", underOtherNames),
            `for an unsigned visit under another spelling of the cookie's name (${otherSpellings(VISIT_COOKIE).join(", ")})`,
            moment,
          );
        }
      },
    },
    {
      id: "04.needs-secret-in-production",
      hints: [
        "Start the app with NODE_ENV=production and no COOKIE_SECRET: what does it sign with?",
        "In production, a missing COOKIE_SECRET must stop the app from starting: throw an Error from cookieSecret() (createApp calls it), rather than go on with no secret or a made-up one.",
        'if (!secret && process.env.NODE_ENV === "production") throw new Error("COOKIE_SECRET is not set");',
      ],
      name: "In production, the app refuses to start without COOKIE_SECRET",
      points: 2,
      requires: ["04.signs-cookie"],
      async run({ productionApp, startWithoutSecret }) {
        // A server that never starts in production refuses to start without the secret too: the refusal counts once
        // it starts with one.
        try {
          await productionApp();
        } catch (error) {
          if (!(error instanceof AppAnswerError)) throw error;
          fail(
            `With NODE_ENV=production and COOKIE_SECRET set, the app does not start either: ${learnerText(error.message).split("\n")[0]}`,
            {
              expected:
                "createApp() builds the app in production when COOKIE_SECRET is set, and throws only when it is missing",
              hint: "Throw only when process.env.COOKIE_SECRET is missing: with its secret, the server must start in production.",
            },
          );
        }
        // Judged by what the app does (its process ends, or nothing listens where it was to serve), never by what its
        // process says of itself: the learner's code shares that process.
        // Unset, or set empty (COOKIE_SECRET= in a .env copied from its example): neither is a secret.
        for (const secret of ["unset", "empty"] as const) {
          const outcome = await startWithoutSecret(secret);
          if (!outcome.started) continue;
          const claimed =
            outcome.said === undefined
              ? ""
              : " Its process reported that createApp() threw, yet the app listens where it was to serve: the grader judges what the app does, not what its process says.";
          const given = secret === "unset" ? "no COOKIE_SECRET" : "an empty COOKIE_SECRET";
          fail(
            `With NODE_ENV=production and ${given}, createApp() built the app and it listened: it would sign with a secret nobody set.${claimed}`,
            {
              expected:
                "createApp() throws (the server refuses to start) when COOKIE_SECRET is missing or empty in production",
              hint: "Check process.env.COOKIE_SECRET where you read it: in production, throw an Error that says it is missing when it is unset or empty (if (!secret)).",
            },
          );
        }
      },
    },
  ],
};

/**
 * The visits the forgeries carry, drawn anew on every run: one in the checks' own years, and two that a visitor would
 * write today (the past year, and the years before it). Forged in the checks' years alone, a page that trusted every
 * unsigned visit before 2030 passed.
 */
function forgedVisits(): Date[] {
  const yearAgo = new Date(Date.now() - YEAR_MS);
  return [pastVisit(), drawnMoment(yearAgo, new Date()), drawnMoment(new Date("2000-01-01T00:00:00.000Z"), yearAgo)];
}

/** A stored cookie value as the app reads it back (percent-decoded), or as it is when it does not decode. */
function safeDecode(stored: string): string {
  try {
    return decodeURIComponent(stored);
  } catch {
    return stored;
  }
}
