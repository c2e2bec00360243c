import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { listApps } from "../src/workspace.js";

interface Listening {
  address(): AddressInfo | string | null;
  close(callback: () => void): void;
}
interface AppModule {
  createApp(): { listen(port: number, callback: () => void): Listening };
}

// A starter must run before the learner has written a line: only its behaviour is missing.
describe.each(listApps("exercise").map((app) => [app.slug, app] as const))("the starter of %s", (_slug, app) => {
  // It imports the starter (Express and all) and starts a server: 2.5 s seen with two `pnpm verify` at once on
  // 2 cores, so a limit sized for a busy machine rather than vitest's 5 s.
  it("builds its app and serves the home page", { timeout: 60_000 }, async () => {
    const { createApp } = (await import(pathToFileURL(join(app.dir, "src/app.ts")).href)) as AppModule;
    const server = await new Promise<Listening>((resolve) => {
      const listening = createApp().listen(0, () => resolve(listening));
    });
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    } finally {
      await new Promise<void>((resolve) => server.close(resolve));
    }
  });
});
