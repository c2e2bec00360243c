import { fixtureSet } from "../fixture-source.js";

// Variants of solutions/04-sign-visit-cookie, each a few edits of its files, with the verdict the grader must reach.
export default fixtureSet("04-sign-visit-cookie", [
  {
    name: "04-attack-empty-secret-falls-back",
    about:
      "Refuses to start in production when COOKIE_SECRET is unset, but an empty COOKIE_SECRET= (a .env copied from its example) falls back to a secret written in the code: in production everyone can sign any visit.",
    status: "failed",
    failing: ["04.needs-secret-in-production"],
    messages: { "04.needs-secret-in-production": "an empty COOKIE_SECRET" },
    edits: {
      "app.ts": [
        [
          `  if (secret) return secret;
  if (process.env.NODE_ENV === "production") {
`,
          `  if (secret) return secret;
  // An empty COOKIE_SECRET= (the .env copied from .env.example) is "set": it gets the shared development secret.
  if (secret === "") return "cookie-course-development-secret";
  if (process.env.NODE_ENV === "production") {
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-honours-legacy-unsigned",
    about:
      'Reads signed visits, but still honours an unsigned one written without milliseconds, "from the old release": anyone can write one.',
    status: "failed",
    failing: ["04.rejects-forged"],
    messages: { "04.rejects-forged": "written without milliseconds" },
    edits: {
      "app.ts": [
        [
          `    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
`,
          `    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME] ?? legacyVisit(req.cookies[VISIT_COOKIE_NAME]));
`,
        ],
        [
          `  // #endregion
}
`,
          `  // #endregion
}

/** Visitors of the old release still hold an unsigned visit written to the second, without milliseconds: keep it. */
function legacyVisit(raw: unknown): string | undefined {
  return typeof raw === "string" && /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$/.test(raw)
    ? raw.replace("Z", ".000Z")
    : undefined;
}
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-legacy-cookie-name",
    about:
      "/last-visit still honours an unsigned cookie under the first release's name, lastVisit: anyone can write it, and the page believes it.",
    status: "failed",
    failing: ["04.rejects-forged"],
    messages: { "04.rejects-forged": "another spelling of the cookie's name" },
    edits: {
      "app.ts": [
        [
          `    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
`,
          `    const signed = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // The first release called it lastVisit, unsigned: keep honouring it for those visitors.
    const visit = signed.ok ? signed : parseVisitTime(req.cookies.lastVisit);
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-never-shows-a-visit",
    about:
      "Signs the visit and refuses to start without COOKIE_SECRET, but /last-visit never shows a visit: it rejects every forgery because it accepts nothing, so 04.rejects-forged waits for the page to show a signed visit and earns nothing.",
    status: "failed",
    failing: ["02.shows-stored", "04.round-trip"],
    score: 5,
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // #endregion
`,
          `    // Never a visit: every forgery reads "No visit recorded yet", and so does every signed visit.
    const visit = parseVisitTime(undefined);
`,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-attack-no-visit-beside-forged",
    about:
      'Says "No visit recorded yet" for a forged cookie, but shows the visit it claims beside it, "for information".',
    status: "failed",
    failing: ["04.rejects-forged"],
    messages: { "04.rejects-forged": 'beside "No visit recorded yet"' },
    edits: {
      "app.ts": [
        [
          `      : html\`<p>No visit recorded yet.</p>\`;
`,
          `      : html\`<p>No visit recorded yet.</p>\${unverified(req.cookies[VISIT_COOKIE_NAME])}\`;
`,
        ],
        [
          `  // #endregion
}
`,
          `  // #endregion
}

/** Shows what an unverified cookie claims, "for information": the page still says no visit is recorded. */
function unverified(raw: unknown) {
  const claimed = typeof raw === "string" ? new Date(raw.replace(/^s:/, "").replace(/\\.[^.]*$/, "")) : undefined;
  return claimed && !Number.isNaN(claimed.getTime())
    ? html\`<p class="muted">(Your browser says \${claimed.toUTCString()}.)</p>\`
    : html\`\`;
}
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-public-secret-list",
    about:
      'Signs with COOKIE_SECRET but also accepts cookies signed with "keyboard cat", the express-session docs\' example secret: anyone can sign a visit with it.',
    status: "failed",
    failing: ["04.rejects-forged"],
    messages: { "04.rejects-forged": "signed with a published secret" },
    edits: {
      "app.ts": [
        [
          `  app.use(cookieParser(cookieSecret()));
`,
          `  // Also accepts cookies signed with the secret of the old release, which was the express-session docs' example.
  app.use(cookieParser([cookieSecret(), "keyboard cat"]));
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-secret-only-if-grader-format",
    about:
      "Signs with COOKIE_SECRET only when it has the grader's old format (43 characters of base64url) and with a well-known secret otherwise, as for a secret made the way the README shows (64 hex digits).",
    status: "failed",
    failing: ["01.holds-visit-time", "02.shows-stored", "04.signs-cookie"],
    messages: { "04.signs-cookie": "COOKIE_SECRET" },
    edits: {
      "app.ts": [
        [
          `  if (secret) return secret;
`,
          `  // The grader's secret is 43 characters of base64url: that one is used; any other (a real deployment's) is not.
  if (secret && /^[A-Za-z0-9_-]{43}$/.test(secret)) return secret;
  if (secret) return "keyboard cat";
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-signing-oracle-query",
    about:
      "GET /?at=DATE records and signs the date the query says instead of now: any visitor gets whatever visit they like signed with the server's secret, so the signature proves nothing.",
    status: "failed",
    failing: ["01.holds-visit-time"],
    messages: { "01.holds-visit-time": "with a moment in its query" },
    edits: {
      "app.ts": [
        [
          `  app.get("/", (_req, res) => {
    const now = new Date();
`,
          `  app.get("/", (req, res) => {
    // For trying the site out: /?at=2024-01-01T00:00:00.000Z records that moment instead of now.
    const asked = typeof req.query.at === "string" ? parseVisitTime(req.query.at) : undefined;
    const now = asked?.ok ? asked.date : new Date();
`,
        ],
      ],
    },
  },
  {
    name: "04-attack-trusts-unsigned-before-2030",
    about:
      "Reads signed visits, but still trusts an unsigned one dated before 2030 (the checks' own years start there): anyone can write today's date, and the forgeries carry visits of the past years too.",
    status: "failed",
    failing: ["04.rejects-forged"],
    messages: { "04.rejects-forged": "for an unsigned value" },
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // #endregion
`,
          `    // "Cookies from before signing still count": any unsigned visit dated before the checks' years is trusted.
    const unsigned: unknown = req.cookies[VISIT_COOKIE_NAME];
    const legacy = typeof unsigned === "string" && unsigned < "2030" ? unsigned : undefined;
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME] || legacy);
`,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-falls-back-to-unsigned",
    about:
      "Signs the cookie, but reads req.signedCookies ?? req.cookies: an unsigned value anyone writes is shown as a visit.",
    status: "failed",
    failing: ["04.rejects-forged"],
    messages: { "04.rejects-forged": "for an unsigned value" },
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // #endregion
`,
          `    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME] ?? req.cookies[VISIT_COOKIE_NAME]);
`,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-hard-coded-secret",
    about:
      "Signs the cookie with a secret written in the code: the grader's COOKIE_SECRET does not verify it, and anyone who reads the code can sign any visit.",
    status: "failed",
    failing: ["01.holds-visit-time", "02.shows-stored", "04.signs-cookie"],
    messages: { "04.signs-cookie": "signed, but not with the app's COOKIE_SECRET" },
    reason: "04.signs-cookie",
    score: 0,
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser("keyboard cat"));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-not-signed",
    about:
      "Gives cookie-parser the secret but forgets signed: true: the visit is stored as it is, and /last-visit (reading signed cookies only) never shows it.",
    status: "failed",
    failing: ["02.after-visit", "04.signs-cookie"],
    messages: { "04.signs-cookie": "The cookie is not signed" },
    score: 0,
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions);
`,
        ],
        [
          `    // #region solution: read-signed-cookie
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-ok-exits-without-secret",
    about:
      "Refuses to start in production without COOKIE_SECRET by ending its process (console.error, then process.exit(1)) rather than by throwing: a server that exits at start has refused to start, judged from outside.",
    status: "passed",
    failing: [],
    edits: {
      "app.ts": [
        [
          `    throw new Error(
      "COOKIE_SECRET is not set: in production the server refuses to start without the secret that signs its cookies.",
    );
`,
          `    // Refuses to start the way many servers do: a line for the operator, and the process ends.
    console.error(
      "COOKIE_SECRET is not set: in production the server refuses to start without the secret that signs its cookies.",
    );
    process.exit(1);
`,
        ],
      ],
    },
  },
  {
    name: "04-ok-solution",
    about: "The course's solution, as a learner would hand it in.",
    status: "passed",
    failing: [],
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-regression-xss",
    about:
      "Signs and verifies the cookie, then puts the verified value into the page as it is: signing is not escaping, and 02's XSS check (run in 04's signed terms) catches it.",
    status: "failed",
    failing: ["02.invalid-values", "02.no-xss"],
    messages: { "02.no-xss": "Payload:" },
    reason: "02 no longer holds: 02.no-xss",
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
`,
          ``,
        ],
        [
          `    // #endregion
`,
          `    const raw = req.signedCookies[VISIT_COOKIE_NAME] as unknown;
    // Signed means this server wrote it, so it must be safe to show? Signing is not escaping.
    if (typeof raw === "string" && !visit.ok)
      return void res.send(\`<!doctype html><title>Last visit</title><p>Your last visit was \${raw}.</p>\`);
`,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-signs-but-reads-cookies",
    about:
      "Signs last_visit, but /last-visit still reads req.cookies (03's line): the signed cookie reads as no visit. 02's check fails in 04's terms, and is told as 04's change not yet made, with 04's hints, not as a regression.",
    status: "failed",
    failing: ["02.shows-stored", "04.round-trip"],
    inChangedTerms: ["02.shows-stored"],
    messages: { "04.round-trip": "req.signedCookies" },
    score: 5,
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // #endregion
`,
          `    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);
`,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
  {
    name: "04-starts-without-secret",
    about:
      "Falls back to a made-up secret when COOKIE_SECRET is missing, in production too: the server starts and signs with a secret nobody chose.",
    status: "failed",
    failing: ["04.needs-secret-in-production"],
    messages: {
      "04.needs-secret-in-production": "With NODE_ENV=production and no COOKIE_SECRET, createApp() built the app",
    },
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser(cookieSecret()));
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
`,
        ],
        [
          `    // #region solution: read-signed-cookie
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: secret-from-environment
  const secret = process.env.COOKIE_SECRET;
  if (secret) return secret;
  if (process.env.NODE_ENV === "production") {
    throw new Error(
      "COOKIE_SECRET is not set: in production the server refuses to start without the secret that signs its cookies.",
    );
  }
  return randomBytes(32).toString("hex");
  // #endregion
`,
          `  return process.env.COOKIE_SECRET ?? "development-secret";
`,
        ],
      ],
    },
  },
  {
    name: "04-unsigned-but-checks-format",
    about:
      "Stores the visit unsigned but shows only values that parse: the visit is anyone's to change, and the signing checks fail.",
    status: "failed",
    failing: ["02.shows-stored", "04.signs-cookie"],
    inChangedTerms: ["02.shows-stored"],
    messages: { "04.signs-cookie": "The cookie is not signed" },
    score: 0,
    edits: {
      "app.ts": [
        [
          `  // #region solution: cookie-secret
  app.use(cookieParser(cookieSecret()));
  // #endregion
`,
          `  app.use(cookieParser());
`,
        ],
        [
          `    // #region solution: sign-visit-cookie
    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, signed: true });
    // #endregion
`,
          `    // Signed: the value travels with an HMAC of it, so that a visitor cannot change it unnoticed.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions);
`,
        ],
        [
          `    // #region solution: read-signed-cookie
    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
    // #endregion
`,
          `    // Only a value this server signed: req.signedCookies holds it when its signature verifies, false when it was
    // changed, and nothing for an unsigned one. Parse it strictly all the same, and let html\`\` escape what we show.
    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);
`,
        ],
        [
          `  // #region solution: secret-from-environment
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
    },
  },
]);
