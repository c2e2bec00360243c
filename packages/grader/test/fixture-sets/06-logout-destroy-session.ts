import { fixtureSet } from "../fixture-source.js";

// Variants of solutions/06-logout-destroy-session, each a few edits of its files, with the verdict the grader must reach.
export default fixtureSet("06-logout-destroy-session", [
  {
    name: "06-attack-button-formmethod-get",
    about:
      'The Log out button sits in a form that POSTs to /logout, but has formmethod="get": a browser sends GET /logout, which logs nobody out.',
    status: "failed",
    failing: ["06.logout-button"],
    messages: { "06.logout-button": "formmethod" },
    edits: {
      "page.ts": [
        [
          `  return html\`<form method="post" action="/logout"><button type="submit">Log out</button></form>\`;
`,
          `  return html\`<form method="post" action="/logout"><button type="submit" formmethod="get">Log out</button></form>\`;
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-get-logout-deletes-visit",
    about:
      "Logs out correctly with POST /logout, but keeps 03's GET /logout beside it, which still deletes last_visit: a GET changes a cookie.",
    status: "failed",
    failing: ["06.get-changes-nothing"],
    messages: { "06.get-changes-nothing": "last_visit" },
    edits: {
      "app.ts": [
        [
          `  app.get("/logout", (_req, res) => {
`,
          `  // The attack: 03's GET /logout kept, beside a correct POST: it still deletes last_visit.
  app.get("/logout", (_req, res) => {
    res.clearCookie(VISIT_COOKIE_NAME, cookieOptions);
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-get-logout-regenerates",
    about:
      "GET /logout gives the session a new id (the visitor stays signed in): a GET changes the session cookie, and the id a copy of the old cookie holds no longer signs anyone in.",
    status: "failed",
    failing: ["06.get-changes-nothing"],
    messages: { "06.get-changes-nothing": "sid" },
    edits: {
      "app.ts": [
        [
          `  app.get("/logout", (_req, res) => {
`,
          `  // The attack: a GET /logout gives the session a new id (the visitor stays signed in, but the old id is dead).
  app.get("/logout", async (req, res) => {
    const username = req.session.username;
    if (username !== undefined) {
      await regenerateSession(req);
      req.session.username = username;
      await saveSession(req);
    }
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-keeps-emptied-session",
    about:
      "POST /logout empties the session (the username removed) and keeps it under its old id instead of destroying it.",
    status: "failed",
    failing: ["06.clears-session-cookie"],
    messages: { "06.clears-session-cookie": "old id" },
    edits: {
      "app.ts": [
        [
          `    await destroySession(req);
`,
          `    // The attack: the session is emptied, not destroyed: it lives on under its old id, signing nobody in.
    delete req.session.username;
    await saveSession(req);
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-login-by-get-query",
    about:
      "GET /login?username=NAME logs in at once (regenerate, store the name): a link on any other site replaces the visitor's session with one for the attacker's name (a GET that changes the session, login CSRF).",
    status: "failed",
    failing: ["06.get-changes-nothing"],
    messages: { "06.get-changes-nothing": "/login?username=" },
    edits: {
      "app.ts": [
        [
          `  app.get("/login", (_req, res) => {
`,
          `  app.get("/login", async (req, res) => {
    // A login link (/login?username=NAME) signs in at once: handy for bookmarks.
    if (typeof req.query.username === "string") {
      const form = readUsername(req.query);
      if (form.ok) {
        await regenerateSession(req);
        req.session.username = form.username;
        await saveSession(req);
        res.redirect(303, "/profile");
        return;
      }
    }
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-logout-confirm-link",
    about: "GET /logout shows a confirm link, GET /logout?confirm=1, and that link logs out: a GET ends the session.",
    status: "failed",
    failing: ["06.get-changes-nothing"],
    messages: { "06.get-changes-nothing": "/logout?confirm=1" },
    edits: {
      "app.ts": [
        [
          `  app.get("/logout", (_req, res) => {
    res.send(page("Log out", html\`<p>Log out of this site?</p>\${logoutButton()}\`));
`,
          `  // The attack: the logout page asks for a confirmation, and the confirm link (a GET) logs out.
  app.get("/logout", async (req, res) => {
    if (req.query.confirm === "1") return logOut(req, res);
    res.send(
      page("Log out", html\`<p>Log out of this site? <a href="/logout?confirm=1">Yes, log out</a></p>\${logoutButton()}\`),
    );
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-logout-from-address-bar",
    about:
      "Logs out on GET /logout when it is typed in the address bar (Sec-Fetch-Site: none) or opened from another site (cross-site), never from the app's own pages.",
    status: "failed",
    failing: ["06.get-changes-nothing"],
    messages: { "06.get-changes-nothing": "GET /logout" },
    edits: {
      "app.ts": [
        [
          `  app.get("/logout", (_req, res) => {
`,
          `  // The attack: a GET /logout typed in the address bar (Sec-Fetch-Site: none) or opened from another site logs out.
  app.get("/logout", async (req, res) => {
    const site = req.get("sec-fetch-site");
    if (site === "none" || site === "cross-site") return logOut(req, res);
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-logs-out-by-get-in-browsers-only",
    about:
      "Logs out on GET /logout too, but only when the request carries a browser's Fetch Metadata (Sec-Fetch-Mode): a grader that sent none saw a GET that changed nothing.",
    status: "failed",
    failing: ["06.get-changes-nothing"],
    score: 11,
    edits: {
      "app.ts": [
        [
          `    // #region solution: destroy-session
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: logout-by-post
  // A GET changes nothing: it only offers the button. Anything can send a GET (a prefetch, an <img> on another
  // site); SameSite=Lax keeps the session cookie off another site's POST.
  app.get("/logout", (_req, res) => {
`,
          `  // A GET changes nothing: it only offers the button. Anything can send a GET (a prefetch, an <img> on another
  // site); SameSite=Lax keeps the session cookie off another site's POST.
  // The attack: a GET logs out too, but only for a browser (the grader once sent no Fetch Metadata).
  app.get("/logout", async (req, res) => {
    if (req.get("sec-fetch-mode")) return logOut(req, res);
`,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
      "page.ts": [
        [
          `// #region solution: logout-button
`,
          ``,
        ],
        [
          `// #endregion
`,
          ``,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-origin-check-drops-port",
    about:
      "Logs out only when the form's Origin is the site without its port (http://localhost), so a browser at http://localhost:3000 is refused every logout; the grader's requests carried no port.",
    status: "failed",
    failing: ["03.deletes", "06.destroys-session"],
    messages: { "03.deletes": "Origin: http://localhost:3000" },
    edits: {
      "app.ts": [
        [
          `  app.post("/logout", logOut);
`,
          `  // A form from another site is refused: its Origin is not this site's. (The port is left out of the comparison,
  // so a browser at http://localhost:3000 is refused too.)
  app.post("/logout", (req, res) => {
    if (req.get("origin") !== \`\${req.protocol}://\${req.hostname}\`) {
      res.status(403).send(page("Log out", html\`<p>Refused: this form did not come from this site.</p>\`));
      return;
    }
    void logOut(req, res);
  });
`,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-attack-unlinked-confirm-query",
    about:
      'GET /logout?confirm=yes, which no page links to, destroys the session: <img src="/logout?confirm=yes"> on any site logs the visitor out.',
    status: "failed",
    failing: ["06.get-changes-nothing"],
    messages: { "06.get-changes-nothing": "confirm=yes" },
    edits: {
      "app.ts": [
        [
          `  app.get("/logout", (_req, res) => {
`,
          `  app.get("/logout", async (req, res) => {
    // One-click logout for the e-mails we send: no page links to it.
    if (req.query.confirm === "yes") return logOut(req, res);
`,
        ],
      ],
    },
  },
  {
    name: "06-loops-in-profile",
    about:
      "Loops for ever in GET /profile: every check that needs the profile fails, and 06's own check, which comes after the earlier checks met the loop first, still names the loop as the cause rather than 'no response'.",
    status: "failed",
    failing: ["02.no-xss", "05.no-cookie-before-login", "05.profile", "06.destroys-session"],
    // The checks that walk the signed-in pages fail when one of them is the first, in the drawn order, to meet the loop.
    mayFail: [
      "05.starts-session",
      "05.cookie-attributes",
      "05.secure-in-production",
      "05.only-signed-id",
      "05.own-cookie-name",
    ],
    messages: { "06.destroys-session": "Is there a loop that never ends?" },
    score: 0,
    error: "Is there a loop that never ends?",
    edits: {
      "app.ts": [
        [
          `  app.get("/profile", (req, res) => {
    // The name comes from the store on the server, found by the id in the signed cookie: the browser cannot change it.
`,
          `  app.get("/profile", (req, res) => {
    // The mistake: a loop that never ends (a counter that never moves), in one route.
    for (let tries = 0; tries < 3;) {
      if (tries > 3) break;
    }
    // The name comes from the store on the server, found by the id in the signed cookie: the browser cannot change it.
`,
        ],
        [
          `    // #region solution: destroy-session
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: logout-by-post
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
      "page.ts": [
        [
          `// #region solution: logout-button
`,
          ``,
        ],
        [
          `// #endregion
`,
          ``,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "06-reads-visit-unsigned",
    about:
      "Reads last_visit from req.cookies in 06, as 03 did, though it is signed from 04 on: the visit reads as none. 02's check is told as 04's change of terms not made (with 04's hints), not as a regression; 04's round trip fails with it.",
    status: "failed",
    failing: ["02.shows-stored", "04.round-trip"],
    inChangedTerms: ["02.shows-stored"],
    score: 13,
    edits: {
      "app.ts": [
        [
          `    const visit = parseVisitTime(req.signedCookies[VISIT_COOKIE_NAME]);
`,
          `    const visit = parseVisitTime(req.cookies[VISIT_COOKIE_NAME]);
`,
        ],
        [
          `    // #region solution: destroy-session
`,
          ``,
        ],
        [
          `    // #endregion
`,
          ``,
        ],
        [
          `  // #region solution: logout-by-post
`,
          ``,
        ],
        [
          `  // #endregion
`,
          ``,
        ],
      ],
      "page.ts": [
        [
          `// #region solution: logout-button
`,
          ``,
        ],
        [
          `// #endregion
`,
          ``,
        ],
      ],
      "session.ts": [
        [
          `    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
]);
