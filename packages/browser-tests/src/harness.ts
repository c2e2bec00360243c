import type { RequestListener } from "node:http";
import type { Browser, BrowserContext, Page, ViewportSize } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { chromiumMissing, launchChromium } from "./chromium.js";
import { serve, type RecordedRequest, type Served } from "./serve.js";

/** The browser as one test sees it. Read it inside a test: it changes from test to test. */
export interface BrowserSession {
  /** A fresh context for each test: its own cookie jar, nothing left over from the test before. */
  readonly context: BrowserContext;
  readonly page: Page;
}

/**
 * Launches Chromium once for the test file (it takes about half a second) and gives each test a fresh context.
 * When Chromium is missing, every test of the file is skipped with the reason (src/global-setup.ts warns once).
 */
export function useBrowser(options: { viewport?: ViewportSize; bypassCSP?: boolean } = {}): BrowserSession {
  const missing = chromiumMissing();
  let browser: Browser | undefined;
  let current: BrowserSession | undefined;

  beforeAll(async () => {
    if (missing === undefined) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async (test) => {
    if (!browser) return test.skip(missing);
    const context = await browser.newContext({
      ...(options.viewport ? { viewport: options.viewport } : {}),
      ...(options.bypassCSP ? { bypassCSP: true } : {}),
    });
    // Fail a step well before vitest's test timeout, so the message names the step that hung; sized for a loaded
    // machine (two pnpm verify at once), where Chromium answers slowly.
    context.setDefaultTimeout(30_000);
    current = { context, page: await context.newPage() };
  });
  afterEach(async () => {
    await current?.context.close();
    current = undefined;
  });

  const session = (): BrowserSession => {
    if (!current) throw new Error("useBrowser(): read the session inside a test, not while the file is collected");
    return current;
  };
  return {
    get context() {
      return session().context;
    },
    get page() {
      return session().page;
    },
  };
}

/** A server for the tests of one describe block; its request log starts empty for each test. */
export interface ServerHandle {
  readonly origin: string;
  /** `origin` + `path`. */
  url(path: string): string;
  /** The requests of the current test, oldest first. */
  readonly requests: readonly RecordedRequest[];
  /** The requests of the current test whose path and query are exactly `url`. */
  requestsTo(url: string): RecordedRequest[];
}

/**
 * Serves `createHandler()` (an Express app, or a tiny page) on 127.0.0.1 for the enclosing describe block. The
 * browser reaches it as `http://HOST:PORT`: `localhost` by default, or a name mapped by `--host-resolver-rules`.
 */
export function useServer(createHandler: () => RequestListener, host?: string): ServerHandle {
  let served: Served | undefined;
  beforeAll(async () => {
    if (chromiumMissing() === undefined) served = await serve(createHandler(), host);
  });
  afterAll(async () => {
    await served?.close();
  });
  beforeEach(() => {
    served?.requests.splice(0);
  });

  const server = (): Served => {
    if (!served) throw new Error("useServer(): the server is running only inside a test");
    return served;
  };
  return {
    get origin() {
      return server().origin;
    },
    url: (path) => `${server().origin}${path}`,
    get requests() {
      return server().requests;
    },
    requestsTo: (url) => server().requests.filter((request) => request.url === url),
  };
}
