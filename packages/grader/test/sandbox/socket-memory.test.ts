import { once } from "node:events";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { socketBytes } from "../../src/sandbox/app-process.js";

const MB = 1024 * 1024;
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** A connection of this process to itself whose far end never reads, filled until the kernel takes no more. */
async function pinnedConnection(): Promise<void> {
  const server = net.createServer((socket) => {
    socket.pause();
    cleanups.push(() => socket.destroy());
  });
  cleanups.push(() => server.close());
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const client = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
  cleanups.push(() => client.destroy());
  await once(client, "connect");
  while (client.write(Buffer.alloc(64 * 1024, 1)));
  // The kernel has taken what it can once the write stops draining: what it holds can be read.
  await new Promise((resolve) => setImmediate(resolve));
}

describe.runIf(process.platform === "linux")("socketBytes(the app's processes)", () => {
  it("counts the data its TCP connections hold in the kernel, which no resident size shows", async () => {
    const before = socketBytes([process.pid]);
    await pinnedConnection();
    expect(socketBytes([process.pid]) - before).toBeGreaterThan(MB / 2);
  });

  it("counts only the sockets of the processes named: another process's connections are not theirs", async () => {
    await pinnedConnection();
    // pid 1 (this container's init, or the machine's) holds none of this test's sockets.
    expect(socketBytes([1])).toBeLessThan(MB / 2);
  });
});
