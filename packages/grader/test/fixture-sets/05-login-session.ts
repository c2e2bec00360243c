import { fixtureSet } from "../fixture-source.js";

// Variants of solutions/05-login-session, each a few edits of its files, with the verdict the grader must reach.
export default fixtureSet("05-login-session", [
  {
    name: "05-attack-behaves-only-over-tcp",
    about:
      "Escapes the username only for a request that came over a Unix socket without Accept-Encoding (as the grader's did), and shows it raw to a browser, which comes over TCP from 127.0.0.1 and asks for compressed pages.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "makes it markup" },
    edits: {
      "app.ts": [
        [
          `  formatVisitTime,
  html,
`,
          `  formatVisitTime,
  SafeHtml,
  html,
`,
        ],
        [
          `        : html\`<p>Signed in as <strong>\${username}</strong>.</p>\`;
`,
          `        : // A browser comes over TCP and asks for compressed pages; the grader did neither: only it gets the name escaped.
          overTcp(req.socket.remoteAddress) || req.get("accept-encoding") !== undefined
          ? new SafeHtml(\`<p>Signed in as <strong>\${username}</strong>.</p>\`)
          : html\`<p>Signed in as <strong>\${username}</strong>.</p>\`;
`,
        ],
        [
          `  return app;
}
`,
          `  return app;
}

function overTcp(address: string | undefined): boolean {
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
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
    name: "05-attack-behaves-while-store-small",
    about:
      "Gives a new session id at login only while its session store holds fewer than 24 sessions: a grader that logs in a few visitors sees fixation defended, while a site in use keeps the planted id (session fixation).",
    status: "failed",
    failing: ["05.regenerates"],
    messages: { "05.regenerates": "session fixation" },
    edits: {
      "app.ts": [
        [
          `    await regenerateSession(req);
`,
          `    // While few people use the site, a new id at every login; once it is busy, the old id stays (it saves a write).
    const held = await new Promise<number>((resolve) =>
      sessionStore.length ? sessionStore.length((_error, count) => resolve(count ?? 0)) : resolve(0),
    );
    if (held < 24) await regenerateSession(req);
`,
        ],
      ],
    },
  },
  {
    name: "05-attack-decoy-signed-cookie",
    about:
      "Sets a decoy cookie signed with the secret, with every right attribute, before the session cookie, which is not HttpOnly: a check that takes the first signed cookie for the session cookie judges the decoy.",
    status: "failed",
    failing: ["05.cookie-attributes"],
    messages: { "05.cookie-attributes": "not HttpOnly" },
    edits: {
      "app.ts": [
        [
          `    // A new id at login: an id planted in this browser beforehand (session fixation) now points at nothing.
    await regenerateSession(req);
`,
          `    // A new id at login: an id planted in this browser beforehand (session fixation) now points at nothing.
    // A decoy: signed with the secret and with every right attribute, and set before express-session's own cookie.
    res.cookie("prefs", "compact", {
      signed: true,
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: process.env.NODE_ENV === "production",
    });
    await regenerateSession(req);
`,
        ],
      ],
      "session.ts": [
        [
          `    httpOnly: true,
`,
          `    httpOnly: false,
`,
        ],
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
    name: "05-attack-echoes-rejected-name",
    about: "Escapes the name on /profile, but its 400 page for a too-long username echoes what was typed raw.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "POST /login" },
    edits: {
      "app.ts": [
        [
          `      res.status(400).send(page("Log in", html\`<p role="alert">\${form.problem}</p>\${loginForm()}\`));
`,
          `      // Says which name was refused, so the visitor sees what they typed: the page is an error page, so it went in as typed.
      const typed: unknown = (req.body as Record<string, unknown> | undefined)?.username;
      const echo = typeof typed === "string" && typed.trim() !== "" ? \` (you typed \${typed})\` : "";
      res
        .status(400)
        .send(page("Log in", html\`<p role="alert">\${form.problem}</p>\${loginForm()}\`).replace("</p>", \`\${echo}</p>\`));
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
    name: "05-attack-fixation-by-resume-link",
    about:
      "The session id at login comes from a hidden 'resume' field that /login?resume=ID fills in: the attacker logs in once with ID to learn its signed cookie, sends the victim /login?resume=ID, and then holds the victim's session (session fixation).",
    status: "failed",
    failing: ["05.regenerates"],
    messages: { "05.regenerates": "The session id came from the link or the form" },
    edits: {
      "app.ts": [
        [
          `      cookie: sessionCookieOptions(),
    }),
`,
          `      cookie: sessionCookieOptions(),
      // "Continue on another device": a login may resume the session id it was given in a link.
      genid: (req) => {
        const resume: unknown = (req.body as Record<string, unknown> | undefined)?.resume;
        return typeof resume === "string" && /^[A-Za-z0-9_-]{24,64}$/.test(resume)
          ? resume
          : randomBytes(24).toString("base64url");
      },
    }),
`,
        ],
        [
          `  app.get("/login", (_req, res) => {
    res.send(page("Log in", loginForm()));
`,
          `  app.get("/login", (req, res) => {
    const resume = typeof req.query.resume === "string" ? req.query.resume : "";
    res.send(
      page(
        "Log in",
        resume
          ? html\`<form method="post" action="/login"><input type="hidden" name="resume" value="\${resume}"><label>Username <input name="username" required></label><button type="submit">Log in</button></form>\`
          : loginForm(),
      ),
    );
`,
        ],
      ],
    },
  },
  {
    name: "05-attack-name-as-link-href",
    about:
      "Puts the escaped username as the whole href of a link on /profile: escaping keeps it in the attribute, but a name such as javascript:alert(document.domain) is a javascript: URL that runs when the link is clicked.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "href" },
    edits: {
      "app.ts": [
        [
          `        : html\`<p>Signed in as <strong>\${username}</strong>.</p>\`;
`,
          `        : html\`<p>Signed in as <strong>\${username}</strong>. <a href="\${username}">Your page</a></p>\`;
`,
        ],
      ],
    },
  },
  {
    name: "05-attack-name-in-comment",
    about:
      "Writes the username raw into an HTML comment on /profile: a name holding --> (or --!>) ends the comment and the rest becomes markup.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "comment" },
    edits: {
      "app.ts": [
        [
          `    res.send(page("Profile", content));
`,
          `    // A note for whoever reads the source: a comment is never shown, so it was left as typed.
    res.send(page("Profile", content).replace("</main>", \`<!-- user: \${username ?? "nobody"} -->\\n    </main>\`));
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
    name: "05-attack-name-in-cookie-name",
    about:
      "Puts the username in a cookie's name (u_NAME=1), not its value: a check that decodes only values reads nothing, yet anyone who sees the cookies reads the name.",
    status: "failed",
    failing: ["05.only-signed-id"],
    messages: { "05.only-signed-id": "holds the username" },
    edits: {
      "app.ts": [
        [
          `    req.session.username = form.username;
    // Stored before the redirect, so that the browser's next request finds it.
`,
          `    req.session.username = form.username;
    // A marker per user: the value says nothing, the name says who.
    res.cookie(\`u_\${encodeURIComponent(form.username).replace(/[!'()*]/g, "_")}\`, "1", {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: process.env.NODE_ENV === "production",
    });
    // Stored before the redirect, so that the browser's next request finds it.
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
    name: "05-attack-name-in-cookie-on-profile",
    about:
      "Sets user=NAME when /profile is shown, not at login: the login's answer holds no name, the browser holds it one page later.",
    status: "failed",
    failing: ["05.only-signed-id"],
    messages: { "05.only-signed-id": "The cookie user holds the username" },
    edits: {
      "app.ts": [
        [
          `    // #endregion
    const content =
`,
          `    // #endregion
    // Set on the profile page, not at login: the login's own answer is clean.
    if (username !== undefined)
      res.cookie("user", username, {
        httpOnly: true,
        sameSite: "lax",
        path: "/",
        secure: process.env.NODE_ENV === "production",
      });
    const content =
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
    name: "05-attack-name-in-inline-script",
    about:
      "Puts the username into an inline <script> with JSON.stringify: it quotes the string but leaves </script>, which ends the script, and the rest becomes markup.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "<script>" },
    edits: {
      "app.ts": [
        [
          `    res.send(page("Profile", content));
`,
          `    // The page's script greets the visitor by name: JSON.stringify quotes the string, so it looks safe.
    res.send(
      page("Profile", content).replace(
        "</main>",
        \`<script>const user = \${JSON.stringify(username ?? null)};</script>\\n    </main>\`,
      ),
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
    name: "05-attack-name-in-onclick",
    about:
      "Puts the escaped username inside a JavaScript string in an onclick attribute: the browser decodes &#39; back to ' before running the handler, so a name like ');alert(document.domain);// runs script.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "onclick" },
    edits: {
      "app.ts": [
        [
          `        : html\`<p>Signed in as <strong>\${username}</strong>.</p>\`;
`,
          `        : html\`<p>Signed in as <strong>\${username}</strong>. <button type="button" onclick="alert('Hello, \${username}!')">Say hello</button></p>\`;
`,
        ],
      ],
    },
  },
  {
    name: "05-attack-name-in-rot13-cookie",
    about:
      "Keeps the username in a cookie of its own in rot13: no plain text, no base64 or hex, yet anyone reads the name back in a moment.",
    status: "failed",
    failing: ["05.only-signed-id"],
    messages: { "05.only-signed-id": "The cookie greeting holds the username" },
    edits: {
      "app.ts": [
        [
          `    req.session.username = form.username;
    // Stored before the redirect, so that the browser's next request finds it.
`,
          `    req.session.username = form.username;
    // rot13: no plain text, no base64, no hex.
    const rot13 = form.username.replace(/[a-z]/gi, (c) =>
      String.fromCharCode(((c.toLowerCase().charCodeAt(0) - 97 + 13) % 26) + (c === c.toLowerCase() ? 97 : 65)),
    );
    res.cookie("greeting", rot13, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: process.env.NODE_ENV === "production",
    });
    // Stored before the redirect, so that the browser's next request finds it.
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
    name: "05-attack-name-in-title",
    about:
      "Puts the username raw into the profile's <title>: a title is RCDATA, so <b> shows as text there, but a name holding </title> closes it and the rest becomes markup.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "<title>" },
    edits: {
      "app.ts": [
        [
          `    res.send(page("Profile", content));
`,
          `    // The tab shows who is signed in: the title is not "page text", so it was left as typed.
    const title = username === undefined ? "Profile" : \`\${username}'s profile\`;
    res.send(page("Profile", content).replace("<title>Profile", \`<title>\${title}\`));
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
    name: "05-attack-name-in-xor-cookie",
    about:
      "Keeps the username in a cookie XORed with a key written in the code: no encoding a check decodes, yet the value is the same at every login as that name and changes with the name.",
    status: "failed",
    failing: ["05.only-signed-id"],
    messages: { "05.only-signed-id": "The cookie theme" },
    edits: {
      "app.ts": [
        [
          `    req.session.username = form.username;
    // Stored before the redirect, so that the browser's next request finds it.
`,
          `    req.session.username = form.username;
    // XOR with a key in the code: the same name always gives the same value, whoever reads the code reads the name.
    const key = Buffer.from("cookie-course");
    const mixed = Buffer.from(form.username).map((byte, at) => byte ^ key[at % key.length]!);
    res.cookie("theme", Buffer.from(mixed).toString("base64url"), {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: process.env.NODE_ENV === "production",
    });
    // Stored before the redirect, so that the browser's next request finds it.
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
    name: "05-attack-name-in-xor-cookie-with-nonce",
    about:
      "Keeps the username in a cookie XORed with a key written in the code, followed by a fresh random part: the whole value changes at every login, yet its first part is the same at every login as that name and changes with the name.",
    status: "failed",
    failing: ["05.only-signed-id"],
    messages: { "05.only-signed-id": "The cookie theme" },
    edits: {
      "app.ts": [
        [
          `    req.session.username = form.username;
    // Stored before the redirect, so that the browser's next request finds it.
`,
          `    req.session.username = form.username;
    // XOR with a key in the code, then a fresh random part: the value differs at every login, yet its first part
    // is the name for whoever reads the code.
    const key = Buffer.from("cookie-course");
    const mixed = Buffer.from(form.username).map((byte, at) => byte ^ key[at % key.length]!);
    res.cookie("theme", \`\${Buffer.from(mixed).toString("base64url")}.\${randomBytes(8).toString("hex")}\`, {
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: process.env.NODE_ENV === "production",
    });
    // Stored before the redirect, so that the browser's next request finds it.
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
    name: "05-attack-same-site-none-in-production",
    about:
      "The session cookie is SameSite=Lax in development and SameSite=None in production (Secure, so a browser keeps it): another site's forms then carry it.",
    status: "failed",
    failing: ["05.cookie-attributes"],
    messages: { "05.cookie-attributes": "In production" },
    edits: {
      "session.ts": [
        [
          `    sameSite: "lax",
    path: "/",
    // In production, HTTPS only. express-session then sends the cookie only over a connection it knows is secure:
    // behind a proxy that ends HTTPS, Express must be told to trust it (app.set("trust proxy", "loopback") in app.ts).
`,
          `    // None in production only: the checks of the attributes ran in development.
    sameSite: production ? "none" : "lax",
    path: "/",
    // In production, HTTPS only. express-session then sends the cookie only over a connection it knows is secure:
    // behind a proxy that ends HTTPS, tell Express so (app.set("trust proxy", 1)).
`,
        ],
      ],
    },
  },
  {
    name: "05-attack-secure-auto",
    about:
      'Uses express-session\'s secure: "auto": the session cookie is Secure when HTTPS reaches the app itself, but goes without Secure behind a proxy that ends HTTPS (X-Forwarded-Proto: https), as Express is not told to trust it.',
    status: "failed",
    failing: ["05.secure-in-production"],
    messages: { "05.secure-in-production": "proxy" },
    edits: {
      "app.ts": [
        [
          `  // Behind a proxy on this machine that ends HTTPS, the app's connection is plain HTTP: trusting that proxy's
  // X-Forwarded-Proto tells Express (req.secure) and express-session that the visitor came over HTTPS. Only a proxy
  // on loopback is trusted: a visitor who reaches the app directly cannot claim HTTPS with a header.
  app.set("trust proxy", "loopback");
`,
          ``,
        ],
        [
          `      cookie: sessionCookieOptions(),
`,
          `      // Secure whenever the request came over HTTPS, as express-session judges it: behind a proxy that ends HTTPS,
      // with Express not told to trust it, never.
      cookie: { ...sessionCookieOptions(), secure: "auto" },
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
    name: "05-attack-session-before-login-next",
    about:
      "GET /login?next=/profile starts a session before any login, and the login regenerates only a session that already has a username: a planted pre-login cookie ends up signed in as the victim (session fixation).",
    status: "failed",
    failing: ["05.no-cookie-before-login", "05.regenerates"],
    messages: { "05.no-cookie-before-login": "/login?next=", "05.regenerates": "session fixation" },
    edits: {
      "app.ts": [
        [
          `  app.get("/login", (_req, res) => {
`,
          `  app.get("/login", (req, res) => {
    // Remembered for after the login: this starts a session (and sets its cookie) for a visitor nobody knows yet.
    if (typeof req.query.next === "string" && req.query.next.startsWith("/")) req.session.next = req.query.next;
`,
        ],
        [
          `    await regenerateSession(req);
`,
          `    // A new id only when someone else was signed in: a session from before the login keeps its id.
    if (req.session.username !== undefined) await regenerateSession(req);
`,
        ],
      ],
      "session.ts": [
        [
          `    username: string;
  }
`,
          `    username: string;
    /** Where to go after the login. */
    next: string;
  }
`,
        ],
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
    name: "05-attack-session-cookie-in-page",
    about:
      "The session cookie is HttpOnly, but /profile also writes its whole signed value (s:<id>.<signature>) into a <meta name=session-token>: any script in the page reads the credential, and HttpOnly protects nothing.",
    status: "failed",
    failing: ["05.cookie-attributes"],
    messages: { "05.cookie-attributes": "into its page" },
    edits: {
      "app.ts": [
        [
          `import { randomBytes } from "node:crypto";
`,
          `import { createHmac, randomBytes } from "node:crypto";
`,
        ],
        [
          `        : html\`<p>Signed in as <strong>\${username}</strong>.</p>\`;
`,
          `        : html\`<p>Signed in as <strong>\${username}</strong>.</p>
      <meta name="session-token" content="\${\`s:\${req.sessionID}.\${createHmac("sha256", secret).update(req.sessionID).digest("base64").replace(/=+$/, "")}\`}">\`;
`,
        ],
      ],
    },
  },
  {
    name: "05-attack-session-for-returning-visitor",
    about:
      "GET /profile starts a session for a visitor who already holds last_visit, and the login regenerates only a session that already has a username: a planted pre-login cookie ends up signed in as the victim (session fixation).",
    status: "failed",
    failing: ["05.no-cookie-before-login", "05.regenerates"],
    messages: { "05.no-cookie-before-login": "GET /profile", "05.regenerates": "session fixation" },
    edits: {
      "app.ts": [
        [
          `    await regenerateSession(req);
`,
          `    // A new id only when someone else was signed in: a session from before the login keeps its id.
    if (req.session.username !== undefined) await regenerateSession(req);
`,
        ],
        [
          `    const username = req.session.username;
    // #endregion
`,
          `    const username = req.session.username;
    // Only for a visitor with a recorded visit: this starts a session (and sets its cookie) before any login.
    if (username === undefined && req.signedCookies[VISIT_COOKIE_NAME]) req.session.returning = true;
    // #endregion
`,
        ],
      ],
      "session.ts": [
        [
          `    username: string;
  }
`,
          `    username: string;
    /** A visitor who came before: greeted on the login page. */
    returning: boolean;
  }
`,
        ],
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
    name: "05-attack-strips-angle-brackets",
    about:
      "Strips < and > from the username instead of escaping them: no markup, but <b>me</b> shows as bme/b, not as the text typed.",
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "not as typed" },
    edits: {
      "app.ts": [
        [
          `    req.session.username = form.username;
`,
          `    // No angle brackets, no tags: the name can never become markup (but <b>me</b> is shown as bme/b).
    req.session.username = form.username.replace(/[<>]/g, "");
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
    name: "05-attack-xml-404",
    about:
      'The 404 page is XHTML served as application/xml with the username raw in it: a browser renders it and runs a name like <script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script>.',
    status: "failed",
    failing: ["05.escapes-name"],
    messages: { "05.escapes-name": "application/xml" },
    edits: {
      "app.ts": [
        [
          `
  return app;
`,
          `
  // A 404 that names who is signed in, as XHTML.
  app.use((req, res) => {
    const who = req.session.username ?? "guest";
    res
      .status(404)
      .type("application/xml")
      .send(
        \`<?xml version="1.0" encoding="utf-8"?>\\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Sorry \${who}, nothing here.</p></body></html>\`,
      );
  });

  return app;
`,
        ],
      ],
    },
  },
]);
