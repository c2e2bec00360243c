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
const PAGES = [
  { path: "/", cookie: undefined },
  { path: "/last-visit", cookie: `last_visit=${STORED}` },
  { path: "/last-visit", cookie: undefined },
  { path: "/last-visit", cookie: "last_visit=%3Cscript%3E" },
  { path: "/logout", cookie: `last_visit=${STORED}` },
];

describe.each(listApps("solution").map((app) => [app.slug, app] as const))("the pages of %s", (_slug, app) => {
  let server: Listening;
  let base: string;
  beforeAll(async () => {
    const { createApp } = (await import(pathToFileURL(join(app.dir, "src/app.ts")).href)) as AppModule;
    server = await new Promise<Listening>((resolve) => {
      const listening = createApp().listen(0, () => resolve(listening));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(resolve)));

  it.each(PAGES)("serve valid HTML at $path (cookie: $cookie)", async ({ path, cookie }) => {
    const response = await fetch(base + path, { headers: cookie ? { cookie } : {} });
    if (response.status === 404) return; // this exercise has no such page yet
    const html = await response.text();
    const report = await validator.validateString(html);
    expect(report.results.flatMap((result) => result.messages.map((message) => `${message.ruleId}: ${message.message}`))).toEqual([]);
  });

  it("link every page to the others from a nav", async () => {
    const html = await (await fetch(`${base}/`)).text();
    expect(html).toMatch(/<nav>[\s\S]*<a href="\/">Home<\/a>/);
  });
});
