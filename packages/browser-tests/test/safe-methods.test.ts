import type { IncomingMessage, RequestListener } from "node:http";
import { pageRequests, type PageRequest } from "@cookie-course/grader/form-submission";
import { ARRIVALS, OTHER_SITE } from "@cookie-course/grader/safe-methods";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { useBrowser, useServer } from "../src/harness.js";
import { solutionsWith } from "../src/solutions.js";

/**
 * The grader judges "a GET changes nothing" with the GETs a browser sends (src/checks/safe-methods.ts), and the
 * pages' buttons as a browser submits them (src/checks/form-submission.ts). Here Chromium says what it sends.
 */

/** Another site than localhost, mapped to 127.0.0.1 by --host-resolver-rules (src/chromium.ts). */
const SITE_A = "site-a.test";

/** One request as the server saw it: what Chromium sent, headers and form included. */
interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

/** Buttons the grader must read as Chromium submits them: each label names its case. */
const BUTTONS_PAGE = `<!doctype html>
<title>Buttons</title>
<form method="post" action="/logout"><button type="submit" formmethod="get">formmethod-get</button></form>
<form method="post" action="/logout"><input type="submit" formmethod="get" value="input-formmethod-get"></form>
<form method="post" action="/logout"><button formaction="/elsewhere?a=1">formaction</button></form>
<form method="get" action="/search?dropped=1"><input name="q" value="v"><input name="off" value="x" disabled><button>get-form-fields</button></form>
<form method="post" action="/logout"><input type="hidden" name="token" value="t 1"><input type="checkbox" name="box"><button name="go" value="1">post-fields</button></form>
<form method="post" action="/logout" id="outside"></form><button form="outside">form-attribute</button>
<form method="post" action="/logout"><fieldset disabled><legend><button>in-first-legend</button></legend><button>in-disabled-fieldset</button></fieldset></form>
<form method="post" action="/logout"><button disabled>disabled</button></form>
<form method="bogus" action="/logout"><button>unknown-method</button></form>
<form method="post"><button>no-action</button></form>
`;

/** The app side: a page of buttons, a page that links to /logout, and a plain page for everything else. */
function recordingApp(seen: Seen[]): RequestListener {
  return (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      // Chromium asks for a favicon after each page: not a request the page made.
      if (req.url === "/favicon.ico") return void res.writeHead(404).end();
      seen.push({
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.setHeader("Content-Type", "text/html; charset=utf-8");
      if (req.url === "/buttons") res.end(BUTTONS_PAGE);
      else if (req.url === "/links") res.end('<!doctype html><title>Links</title><a href="/logout">Log out</a>');
      else res.end("<!doctype html><title>Seen</title><p>seen</p>");
    });
  };
}

/** A page on another site that links to the app's /logout, as any site can. */
function linkingSite(appUrl: (path: string) => string): RequestListener {
  return (_req, res) => {
    res.setHeader("Content-Type", "text/html; charset=utf-8");
    res.end(`<!doctype html><title>Site A</title><a href="${appUrl("/logout?confirm=1")}">Log out of the app</a>`);
  };
}

/** Clicks, and waits until the navigation it starts has its answer (so the server has recorded the request). */
async function navigateBy(page: Page, click: () => Promise<void>): Promise<void> {
  await Promise.all([page.waitForResponse((response) => response.request().isNavigationRequest()), click()]);
}

describe("safe methods, as Chromium sends them", () => {
  const browser = useBrowser();
  const seen: Seen[] = [];
  const app = useServer(() => recordingApp(seen));
  const siteA = useServer(() => linkingSite((path) => app.url(path)), SITE_A);
  const last = () => seen.at(-1)!;

  it("reads every button of a page as Chromium submits it: formmethod, formaction, form=, disabled, fields", async () => {
    const { page } = browser;
    const model = pageRequests(BUTTONS_PAGE, app.url("/buttons")).filter(({ kind }) => kind === "button");
    const byLabel = new Map(model.map((request) => [request.label, request]));
    const labels = await page
      .goto(app.url("/buttons"))
      .then(() =>
        page
          .locator("button, input[type=submit]")
          .evaluateAll((all) => all.map((element) => element.textContent || (element as HTMLInputElement).value)),
      );
    expect(labels.length).toBeGreaterThan(8);
    for (const label of labels) {
      await page.goto(app.url("/buttons"));
      const button = page.locator(`button:text-is("${label}"), input[value="${label}"]`);
      if (!(await button.isEnabled())) {
        expect(
          byLabel.get(label),
          `${label}: Chromium cannot press it, and the grader must not count it`,
        ).toBeUndefined();
        continue;
      }
      await navigateBy(page, () => button.click());
      const expected = byLabel.get(label);
      expect(expected, `${label}: Chromium submits it, and the grader must read it`).toBeDefined();
      expect(sent(last(), app.origin), label).toEqual(asSent(expected!));
    }
    expect(byLabel.has("disabled") || byLabel.has("in-disabled-fieldset")).toBe(false);
  });

  it("sends a link on the app's own page as the grader's same-origin arrival does", async () => {
    const { page } = browser;
    await page.goto(app.url("/links"));
    await navigateBy(page, () => page.click("a"));
    expect(last().url).toBe("/logout");
    expect(fetchMetadata(last())).toEqual(fetchMetadata({ headers: ARRIVALS[0]!.headers(app.url("/links")) }));
  });

  it("sends an address opened by itself (typed, a bookmark) with Sec-Fetch-Site: none and no Referer", async () => {
    const { page } = browser;
    await page.goto(app.url("/logout"));
    const typed = ARRIVALS[1]!.headers("/");
    const metadata = fetchMetadata(last());
    expect(metadata["sec-fetch-site"]).toBe(typed["sec-fetch-site"]);
    expect(metadata["sec-fetch-mode"]).toBe(typed["sec-fetch-mode"]);
    expect(metadata.referer).toBeUndefined();
    // Playwright's goto is no keystroke: Chromium marks a typed address ?1 (user-activated), which the grader sends.
    expect([undefined, typed["sec-fetch-user"]]).toContain(metadata["sec-fetch-user"]);
  });

  it("sends another site's link as cross-site, with that site's origin alone as Referer", async () => {
    const { page } = browser;
    await page.goto(siteA.url("/"));
    await navigateBy(page, () => page.click("a"));
    expect(last().url).toBe("/logout?confirm=1");
    const crossSite = ARRIVALS[2]!.headers("/");
    const metadata = fetchMetadata(last());
    expect({ ...metadata, referer: undefined }).toEqual({
      ...fetchMetadata({ headers: crossSite }),
      referer: undefined,
    });
    // The origin of the other site, and nothing of its path: the grader sends the same of its other site.
    expect(metadata.referer).toBe(`${siteA.origin}/`);
    expect(crossSite.referer).toBe(`${OTHER_SITE}/`);
  });
});

describe("a GET changes nothing in the solutions, in Chromium", () => {
  const browser = useBrowser();

  it("is tested on at least one solution", () => expect(solutionsWith("POST /logout").length).toBeGreaterThan(0));

  for (const solution of solutionsWith("POST /logout"))
    describe(`solutions/${solution.name}`, () => {
      const app = useServer(solution.createApp);
      const siteA = useServer(() => linkingSite((path) => app.url(path)), SITE_A);

      const cookies = async () => (await browser.context.cookies()).map(({ name, value }) => `${name}=${value}`).sort();
      const profileText = async () => {
        await browser.page.goto(app.url("/profile"));
        return browser.page.locator("main").innerText();
      };

      it("keeps every cookie and the session through a typed GET /logout and another site's confirm link", async () => {
        const { page } = browser;
        await page.goto(app.url("/"));
        await page.goto(app.url("/login"));
        await page.fill('input[name="username"]', "ada");
        await page.click('main button[type="submit"]');
        await page.waitForURL(app.url("/profile"));
        const before = await cookies();
        expect(before.map((cookie) => cookie.split("=")[0])).toEqual(["last_visit", "sid"]);

        await page.goto(app.url("/logout"));
        expect(await cookies(), "a typed GET /logout").toEqual(before);
        await page.goto(siteA.url("/"));
        await navigateBy(page, () => page.click("a"));
        expect(await cookies(), "another site's link to /logout?confirm=1").toEqual(before);
        expect(await profileText()).toContain("Signed in as ada");
      });
    });
});

/** What a request is, for comparing Chromium's with the grader's reading: method, path and query, form fields. */
function sent(request: Seen, origin: string): { method: string; url: string; fields: [string, string][] } {
  const fields = request.method === "POST" ? [...new URLSearchParams(request.body)] : [];
  return { method: request.method, url: new URL(request.url, origin).href, fields };
}

function asSent(request: PageRequest): { method: string; url: string; fields: [string, string][] } {
  return { method: request.method, url: request.url, fields: request.fields.map(([name, value]) => [name, value]) };
}

/** The headers that say how a navigation started. */
function fetchMetadata({
  headers,
}: {
  headers: Readonly<Record<string, string | string[] | undefined>>;
}): Record<string, string | undefined> {
  const one = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  return {
    "sec-fetch-site": one("sec-fetch-site"),
    "sec-fetch-mode": one("sec-fetch-mode"),
    "sec-fetch-user": one("sec-fetch-user"),
    referer: one("referer"),
  };
}
