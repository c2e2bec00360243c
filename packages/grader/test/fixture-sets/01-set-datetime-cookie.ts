import { fixtureSet } from "../fixture-source.js";

// Variants of solutions/01-set-datetime-cookie, each a few edits of its files, with the verdict the grader must reach.
export default fixtureSet("01-set-datetime-cookie", [
  {
    name: "01-attack-secure-from-req-secure",
    about:
      "Marks the cookie Secure from req.secure: Secure when HTTPS reaches the app itself, but without Secure behind a proxy that ends HTTPS (X-Forwarded-Proto: https), where Express sees plain HTTP.",
    status: "failed",
    failing: ["01.secure-in-production"],
    messages: { "01.secure-in-production": "proxy" },
    edits: {
      "app.ts": [
        [
          `  app.get("/", (_req, res) => {
    const now = new Date();
    // #region solution: set-visit-cookie
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions);
`,
          `  app.get("/", (req, res) => {
    const now = new Date();
    // #region solution: set-visit-cookie
    // Secure when this request came over HTTPS: behind a proxy that ends HTTPS, Express (not told to trust it) sees
    // plain HTTP, and the cookie goes without Secure.
    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), { ...cookieOptions, secure: req.secure });
`,
        ],
      ],
    },
  },
  {
    name: "01-attack-zoneless-local-time",
    about:
      "Stores the server's local date-time without its zone (2031-05-17T10:09:10 for 08:09:10 UTC in Berlin): it stands for the visit only where the reader's zone is the server's, as it was when the grader ran apps in UTC.",
    status: "failed",
    failing: ["01.holds-visit-time"],
    messages: { "01.holds-visit-time": "without its time zone" },
    edits: {
      "app.ts": [
        [
          `    res.cookie(VISIT_COOKIE_NAME, formatVisitTime(now), cookieOptions);
`,
          `    // The server's local time, without its zone: it reads right only where the reader's clock is in the same zone.
    res.cookie(VISIT_COOKIE_NAME, localTime(now), cookieOptions);
`,
        ],
        [
          `}
`,
          `}

function localTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return \`\${date.getFullYear()}-\${two(date.getMonth() + 1)}-\${two(date.getDate())}T\${two(date.getHours())}:\${two(date.getMinutes())}:\${two(date.getSeconds())}\`;
}
`,
        ],
      ],
    },
  },
  {
    name: "01-slow-to-close-servers",
    about:
      "Not an attack: an app that answers every visitor right but is slow to close a server when the grader resets it after a check, as a correct app on a loaded machine is. It still answers the grader's ping, so it is retired without blame (the next check starts a fresh process), and every check passes. Blamed, it would lose the check after which it was slow.",
    status: "passed",
    failing: [],
    score: 14,
    edits: {
      "app.ts": [
        [
          `import express, { type Express } from "express";
import { page } from "./page.js";
`,
          `import express, { type Express } from "express";
import type { Server } from "node:http";
import { page } from "./page.js";
`,
        ],
        [
          `  app.get("/", (_req, res) => {
`,
          `  app.get("/", (req, res) => {
    // Not the learner's mistake to copy: it stands for a machine so loaded that the app is slow to close its server.
    // In production (one check), its server never finishes closing, while the app goes on answering the grader.
    if (process.env.NODE_ENV === "production") {
      const server = (req.socket as unknown as { server: Server }).server;
      server.close = () => server;
    }
`,
        ],
      ],
    },
  },
]);
