import { fixtureSet } from "../fixture-source.js";

// Variants of solutions/02-read-last-visit, each a few edits of its files, with the verdict the grader must reach.
export default fixtureSet("02-read-last-visit", [
  {
    name: "02-attack-visit-in-title",
    about:
      "Puts the last_visit cookie raw into the page's <title>: a title is RCDATA, so most markup stays text there, but a value holding </title> closes it and the rest becomes markup.",
    status: "failed",
    failing: ["02.no-xss"],
    messages: { "02.no-xss": "<title>" },
    edits: {
      "app.ts": [
        [
          `    res.send(page("Last visit", content));
`,
          `    // The tab shows the stored value, for debugging: a title is plain text, so it was left as sent.
    const stored: unknown = req.cookies[VISIT_COOKIE_NAME];
    const title = typeof stored === "string" && stored !== "" ? \`Last visit \${stored}\` : "Last visit";
    res.send(page("Last visit", content).replace("<title>Last visit", \`<title>\${title}\`));
`,
        ],
      ],
    },
  },
  {
    name: "02-future-says-no-visit",
    about:
      "Treats a stored moment later than now as no visit at all: a stored visit is shown whatever the server's clock says.",
    status: "failed",
    failing: ["02.shows-stored"],
    messages: { "02.shows-stored": "A stored moment may be later than now" },
    edits: {
      "app.ts": [
        [
          `    const content = visit.ok
      ? html\`<p>Your last visit was at <time datetime="\${visit.iso}">\${visit.date.toUTCString()}</time>.</p>\`
      : html\`<p>No visit recorded yet.</p>\`;
`,
          `    // "A visit in the future cannot be real": but another server's clock, or a clock set back, makes one.
    const content =
      visit.ok && visit.date.getTime() <= Date.now()
        ? html\`<p>Your last visit was at <time datetime="\${visit.iso}">\${visit.date.toUTCString()}</time>.</p>\`
        : html\`<p>No visit recorded yet.</p>\`;
`,
        ],
      ],
    },
  },
]);
