import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HtmlValidate } from "html-validate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listApps } from "../src/workspace.js";

interface Listening {
  address(): AddressInfo | string | null;
  close(callback: () => void): void;
}
interface AppModule {
  createApp(): { listen(port: number, callback: () => void): Listening };
}

// W3C-valid markup: the pages a learner reads and copies must be correct HTML, readable without any CSS.
const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
const STORED = encodeURIComponent("2026-11-20T09:15:30.000Z");
// `since`: the exercise that adds the page. Every later solution keeps it; an earlier one has no such route yet.
const PAGES = [
  { path: "/", cookie: undefined, since: "01" },
  { path: "/last-visit", cookie: `last_visit=${STORED}`, since: "02" },
  { path: "/last-visit", cookie: undefined, since: "02" },
  { path: "/last-visit", cookie: "last_visit=%3Cscript%3E", since: "02" },
  { path: "/logout", cookie: `last_visit=${STORED}`, since: "03" },
];

// Each block imports a solution's app and starts a server on it, and the first validation loads html-validate's
// rules: seconds on a busy machine (3 s seen with two `pnpm verify` at once on 2 cores), so not vitest's 5 s.
describe.each(listApps("solution").map((app) => [app.slug, app] as const))(
  "the pages of %s",
  { timeout: 60_000 },
  (_slug, app) => {
    let server: Listening;
    let base: string;
    beforeAll(async () => {
      const { createApp } = (await import(pathToFileURL(join(app.dir, "src/app.ts")).href)) as AppModule;
      server = await new Promise<Listening>((resolve) => {
        const listening = createApp().listen(0, () => resolve(listening));
      });
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    }, 60_000);
    afterAll(() => new Promise<void>((resolve) => server.close(resolve)));

    const get = (path: string, cookie: string | undefined) => fetch(base + path, { headers: cookie ? { cookie } : {} });

    for (const { path, cookie, since } of PAGES) {
      if (app.number < since) {
        it(`has no ${path} yet (cookie: ${cookie}): it answers 404, the page comes with exercise ${since}`, async () => {
          expect((await get(path, cookie)).status).toBe(404);
        });
      } else {
        it(`serve valid HTML at ${path} (cookie: ${cookie})`, async () => {
          const response = await get(path, cookie);
          expect(response.status, `GET ${path} should answer 200: the page comes with exercise ${since}`).toBe(200);
          const report = await validator.validateString(await response.text());
          expect(
            report.results.flatMap((result) =>
              result.messages.map((message) => `${message.ruleId}: ${message.message}`),
            ),
          ).toEqual([]);
        });
      }
    }

    it("link every page to the others from a nav", async () => {
      const html = await (await fetch(`${base}/`)).text();
      expect(html).toMatch(/<nav>[\s\S]*<a href="\/">Home<\/a>/);
    });
  },
);
