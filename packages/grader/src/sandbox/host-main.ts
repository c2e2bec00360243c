/**
 * The program that runs a learner's app, in a process of its own, confined (see confinement.ts). It is bundled
 * into one file by esbuild when grading starts, so that the process needs no loader and reads nothing of the
 * grader. It answers the grader's requests on the control channel (protocol.ts, file descriptors 3 and 4) and serves each
 * app it builds on the socket the grader names. Nothing here is trusted by the grader: the learner's code shares
 * this process.
 */
import { withGlobal } from "@sinonjs/fake-timers";
import { createServer, type RequestListener, type Server } from "node:http";
import { syncBuiltinESMExports } from "node:module";
import net, { Server as NetServer, Socket, type AddressInfo } from "node:net";
import os from "node:os";
import { isAbsolute, join, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { LineReader, type Deployment, type HostErrorKind, type HostMessage, type HostRequest } from "./protocol.js";

const appRoot = process.cwd();
const DEVELOPMENT = "development";
// bwrap sets PWD; the app sees NODE_ENV, its COOKIE_SECRET and its time zone (TZ), and nothing else.
const KEPT_ENV = new Set(["NODE_ENV", "COOKIE_SECRET", "TZ"]);
for (const name of Object.keys(process.env)) if (!KEPT_ENV.has(name)) delete process.env[name];

// Taken before the learner's code runs, which may patch them.
const stringify = JSON.stringify;
const parse = JSON.parse;
const ownPid = process.pid;
// Two descriptors, one way each (protocol.ts): this process's messages on 3, the grader's requests on 4.
const channel = new Socket({ fd: 3, readable: false, writable: true });
const requestsIn = new Socket({ fd: 4, readable: true, writable: false });
const send = (message: HostMessage) => void channel.write(`${stringify(message)}\n`);
const timers = withGlobal(globalThis);
let clock: ReturnType<typeof timers.install> | undefined;
const listen = NetServer.prototype.listen;
const createRelayServer = net.createServer;
const connect = net.connect;
const servers = new Set<Server>();
/** What relays the grader's socket to each app's port, closed with the apps. */
const relays = new Set<NetServer>();
type Copy = "development" | "production" | "production-without-secret" | "production-empty-secret";
const modules: Partial<Record<Copy, Record<string, unknown>>> = {};
let copy: Copy = "development";
// The secret this app was given, taken before the learner's code runs: a check may take it away, and give it back.
const cookieSecret = process.env.COOKIE_SECRET;

// An app that starts its own server at import (app.listen(3000)) gets a free local port instead: without a
// network namespace, two graded apps would otherwise fight over the same port.
NetServer.prototype.listen = function listenOnFreePort(this: NetServer, ...args: unknown[]) {
  const callback = args.find((arg) => typeof arg === "function");
  return Reflect.apply(listen, this, callback ? [0, "127.0.0.1", callback] : [0, "127.0.0.1"]) as NetServer;
} as typeof listen;

// Below listen, Node creates the listening socket in two functions an app can call itself (Server#_listen2 and
// net._createServerHandle). A Unix socket is a file: without bubblewrap, nothing else keeps an app from making one
// anywhere on the disk, or at the path a classmate's app is about to listen on. Sockets go in sock/, ports on loopback.
// The grader names the folder (argv[2]): outside the staging folder, at a random path no classmate can work out.
const sockets = join(resolve(process.argv[2] ?? join(appRoot, "sock"))) + sep;
const mayListen = (address: unknown, port: unknown): boolean =>
  typeof address === "string" && (port === -1 || port === undefined) && address !== "" && !/^\d/.test(address)
    ? process.platform === "win32"
      ? address.startsWith("\\\\.\\pipe\\cookie-grader-")
      : isAbsolute(address) && resolve(address).startsWith(sockets)
    : address === "127.0.0.1" || address === "::1";
const denied = (what: string) =>
  Object.assign(new Error(`${what}: only sockets in the app's own socket folder, or loopback ports`), {
    code: "EACCES",
  });
const listen2 = (NetServer.prototype as unknown as { _listen2: (...args: unknown[]) => unknown })._listen2;
Object.defineProperty(NetServer.prototype, "_listen2", {
  value: function guardedListen2(this: NetServer, address: unknown, port: unknown, ...rest: unknown[]) {
    if (!mayListen(address, port)) {
      process.nextTick(() => this.emit("error", denied("listen")));
      return;
    }
    return Reflect.apply(listen2, this, [address, port, ...rest]);
  },
  writable: false,
  configurable: false,
});
const createServerHandle = (net as unknown as { _createServerHandle: (...args: unknown[]) => unknown })
  ._createServerHandle;
Object.defineProperty(net, "_createServerHandle", {
  value: (address: unknown, port: unknown, ...rest: unknown[]) =>
    mayListen(address, port) ? Reflect.apply(createServerHandle, net, [address, port, ...rest]) : -13,
  writable: false,
  configurable: false,
});
syncBuiltinESMExports();

// Signals: to this process only. Without a PID namespace (no bubblewrap), any other pid is the grader, a classmate's
// app, or the machine's (-1). process.kill checks its arguments, then calls process._kill: that is the one to guard.
const rawKill = (process as unknown as { _kill: (pid: number, signal: number) => number })._kill;
Object.defineProperty(process, "_kill", {
  value: (pid: number, signal: number) =>
    pid === ownPid ? Reflect.apply(rawKill, process, [pid, signal]) : -1 /* EPERM */,
  writable: false,
  configurable: false,
});
// The other way to touch another process: its scheduling priority (a grader made slow makes a classmate time out).
const setPriority = os.setPriority.bind(os);
Object.defineProperty(os, "setPriority", {
  value: (...args: [number, number] | [number]) => {
    if (args.length === 2 && Number(args[0]) !== 0 && Number(args[0]) !== ownPid) {
      throw Object.assign(new Error("setPriority: operation not permitted"), { code: "EPERM" });
    }
    return Reflect.apply(setPriority, os, args) as void;
  },
  writable: false,
  configurable: false,
});
syncBuiltinESMExports();

const exit = process.exit.bind(process);
// The grader must learn that the app ended itself, and with which code: the report goes first, and the process ends
// once it has left (an exit right away could lose it). Meanwhile the caller is stopped, as a real exit stops it.
process.exit = ((code?: number | string | null) => {
  const status = code ?? process.exitCode ?? 0;
  channel.write(`${stringify({ op: "exit-called", code: String(status) } satisfies HostMessage)}\n`, () =>
    exit(status),
  );
  throw new Error(`process.exit(${String(status)})`);
}) as typeof process.exit;

const reportUncaught = (error: unknown) => {
  send({ op: "uncaught", message: describeError(error) });
  // Give the report a moment to leave before the process ends, as Node would have ended it.
  setImmediate(() => exit(70));
};
process.on("uncaughtException", reportUncaught);
process.on("unhandledRejection", reportUncaught);

class HostError extends Error {
  constructor(
    readonly kind: HostErrorKind,
    message: string,
  ) {
    super(message);
  }
}

async function load(which: Copy): Promise<Record<string, unknown>> {
  const loaded = modules[which];
  if (loaded) return loaded;
  // The production copies are more staged copies of the same files: their modules are evaluated afresh, so options
  // read at import see NODE_ENV=production (and no COOKIE_SECRET, for the third).
  const entry = join(appRoot, which === DEVELOPMENT ? "" : which, "src", "app.js");
  try {
    const module = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
    modules[which] = module;
    return module;
  } catch (error) {
    throw new HostError("load-failed", describeError(error));
  }
}

async function create(address: string, deployment: Deployment): Promise<void> {
  const module = await load(copy);
  const createApp = module.createApp;
  if (typeof createApp !== "function")
    throw new HostError("missing-create-app", "src/app.ts does not export a function named createApp");
  let app: unknown;
  try {
    app = await (createApp as () => unknown)();
  } catch (error) {
    throw new HostError("create-app-threw", describeError(error));
  }
  if (typeof app !== "function") throw new HostError("not-an-app", describeValue(app));
  const server = createServer(app as RequestListener);
  // In production with HTTPS to the app itself, its connections say so (Express's req.secure, which express-session
  // needs to send a Secure cookie at all). Behind a proxy they are plain, as a proxy's are: the request says
  // X-Forwarded-Proto: https, and only an app that trusts its proxy knows it came over HTTPS.
  if (copy !== DEVELOPMENT && deployment === "tls")
    server.on("connection", (socket) => Object.assign(socket, { encrypted: true }));
  servers.add(server);
  await listenOn(server, [0, "127.0.0.1"]);
  await listenOn(relayTo(server), [address]);
}

/**
 * A relay from the grader's socket to the app's loopback port: the app sees a TCP connection from 127.0.0.1, as a
 * browser on the same machine makes, never a Unix socket (whose remoteAddress is undefined: an app could tell the
 * grader by it). The app's port accepts only the relay's connections: without bubblewrap's network namespace, the
 * port is on the machine's loopback, where a classmate's app could reach it.
 */
function relayTo(server: Server): NetServer {
  const { port } = server.address() as AddressInfo;
  const ours = new Set<Socket>();
  server.prependListener("connection", (socket: Socket) => {
    if (![...ours].some((relayed) => relayed.localPort === socket.remotePort)) socket.destroy();
  });
  const relay = createRelayServer((incoming) => {
    const outgoing = connect({ port, host: "127.0.0.1" });
    ours.add(outgoing);
    const end = () => {
      ours.delete(outgoing);
      incoming.destroy();
      outgoing.destroy();
    };
    for (const socket of [incoming, outgoing]) socket.on("error", end).on("close", end);
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
  });
  relays.add(relay);
  return relay;
}

function listenOn(server: NetServer, args: readonly unknown[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", (error) => reject(new HostError("listen-failed", describeError(error))));
    Reflect.apply(listen, server, [...args, resolve]);
  });
}

function setClock(now: number | null): void {
  if (now === null) {
    clock?.uninstall();
    clock = undefined;
  } else if (clock) clock.setSystemTime(now);
  // Only Date: the app's own timers keep real time, as they would in production.
  else clock = timers.install({ now, toFake: ["Date"] });
}

/** Which copy of the app the next apps are built from, with the environment it must see. */
function setCopy(next: Copy): void {
  copy = next;
  process.env.NODE_ENV = next === DEVELOPMENT ? DEVELOPMENT : "production";
  // An empty COOKIE_SECRET= (a .env copied from its example) is no secret either.
  if (next === "production-empty-secret") process.env.COOKIE_SECRET = "";
  else if (next === "production-without-secret" || cookieSecret === undefined) delete process.env.COOKIE_SECRET;
  else process.env.COOKIE_SECRET = cookieSecret;
}

async function closeServers(): Promise<void> {
  const closing = [...servers, ...relays].map((server) => new Promise((resolve) => server.close(resolve)));
  for (const server of servers) server.closeAllConnections();
  servers.clear();
  relays.clear();
  await Promise.all(closing);
}

async function handle(request: HostRequest): Promise<void> {
  switch (request.op) {
    case "load":
      await load(DEVELOPMENT);
      return;
    case "create":
      // Within a check, once production, always production: the copy only moves further from development.
      if (request.production && request.withoutSecret !== undefined)
        setCopy(request.withoutSecret === "empty" ? "production-empty-secret" : "production-without-secret");
      else if (request.production && copy === DEVELOPMENT) setCopy("production");
      await create(request.address, request.deployment ?? "tls");
      return;
    case "clock":
      setClock(request.now);
      return;
    case "reset":
      setClock(null);
      setCopy(DEVELOPMENT);
      await closeServers();
      return;
    case "ping":
      return;
    default:
      throw new HostError("bad-request", "unknown request");
  }
}

const requests = new LineReader((line) => {
  let request: HostRequest;
  try {
    request = parse(line) as HostRequest;
  } catch {
    return;
  }
  handle(request).then(
    () => send({ op: "answer", id: request.id, ok: true }),
    (error: unknown) =>
      send({
        op: "answer",
        id: request.id,
        ok: false,
        kind: error instanceof HostError ? error.kind : "bad-request",
        message: error instanceof HostError ? error.message : describeError(error),
      }),
  );
});
requestsIn.on("data", (chunk: Buffer) => requests.push(chunk));
// The grader is gone (without bubblewrap, nothing else ends this process when it dies): end too.
requestsIn.on("close", () => exit(0));
requestsIn.on("error", () => exit(0));

function describeError(error: unknown): string {
  if (error instanceof Error) return String(error.stack ?? `${error.name}: ${error.message}`);
  return String(error);
}

function describeValue(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === "object" && typeof (value as { then?: unknown }).then === "function") return "a Promise";
  return `a ${typeof value}`;
}

// The app's dependencies load before the grader hands over any work: a spare process waits with them warm.
await import(pathToFileURL(join(appRoot, "preload.js")).href).catch(() => {});
send({ op: "ready" });
