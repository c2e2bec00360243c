import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const demoRoot = fileURLToPath(new URL("..", import.meta.url));
const started: { child: ChildProcess; exited: Promise<number | null> }[] = [];

// server.ts calls process.exit, which vitest intercepts in-process: run it as a real process instead.
function startServer(port: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
    cwd: demoRoot,
    env: { ...process.env, PORT: port },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  started.push({ child, exited });
  return { child, exited, output: () => ({ stdout, stderr }) };
}

// A server left running would hold its port and a core while the next test starts: stop it, and wait until it has.
// (kill() does nothing to a process that has already exited.)
afterEach(async () => {
  await Promise.all(
    started.splice(0).map(({ child, exited }) => {
      child.kill();
      return exited;
    }),
  );
});

// Each test starts Node with tsx, which compiles server.ts and app.ts before it runs them: half a second on an idle
// machine, and more than vitest's 5 s with two `pnpm verify` at once on 2 cores. So a limit sized for a busy machine.
describe("src/server.ts", { timeout: 60_000 }, () => {
  it("logs the URL it listens on, and serves the app there", async () => {
    const server = startServer("0");

    const url = await new Promise<string>((resolve, reject) => {
      server.child.stdout?.on("data", () => {
        const match = /http:\/\/localhost:\d+/.exec(server.output().stdout);
        if (match) resolve(match[0]);
      });
      void server.exited.then((code) => reject(new Error(`exited with ${code}: ${server.output().stderr}`)));
    });

    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("<h1>Cookie demo</h1>");
  });

  it("exits with code 1 and one helpful line when the port is already in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, resolve));
    const { port } = blocker.address() as AddressInfo;

    try {
      const server = startServer(String(port));

      expect(await server.exited).toBe(1);
      const { stderr } = server.output();
      expect(stderr.trim().split("\n")).toEqual([
        `Cannot listen on port ${port}: it is already in use (EADDRINUSE). Stop the other server, or pick another port: PORT=3001.`,
      ]);
    } finally {
      blocker.close();
    }
  });

  it("exits with code 1 when PORT is not a port number", async () => {
    const server = startServer("http");

    expect(await server.exited).toBe(1);
    expect(server.output().stderr.trim()).toBe('PORT must be a whole number from 0 to 65535, not "http".');
  });
});
