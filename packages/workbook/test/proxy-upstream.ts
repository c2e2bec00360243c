// Servers the proxy tests put behind the proxy: a real node:http app, and a raw TCP one for the lines Node refuses
// to write. Both listen on port 0 and are closed by the caller.
import http, { type IncomingMessage, type RequestListener, type ServerResponse } from "node:http";
import net, { type AddressInfo } from "node:net";
import express from "express";
import { CookieRecorder, recordingProxy, type RecordingProxyOptions } from "../src/proxy/index.js";

/** What the upstream app received, exactly. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly rawHeaders: readonly string[];
  readonly body: string;
}

export interface Listening {
  readonly url: URL;
  close(): Promise<void>;
}

export async function listen(server: http.Server | net.Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    close: () =>
      new Promise<void>((resolve) => {
        if (server instanceof http.Server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A node:http app whose handler the test supplies; every request is kept in `received`, body read in full. */
export function upstreamApp(respond: (req: IncomingMessage & { body: string }, res: ServerResponse) => void) {
  const received: Received[] = [];
  const handler: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("latin1");
      received.push({ method: req.method ?? "", url: req.url ?? "", rawHeaders: req.rawHeaders, body });
      respond(Object.assign(req, { body }), res);
    });
  };
  return { server: http.createServer(handler), received };
}

/** A TCP server that answers every request with `response`, byte for byte, then closes. */
export function rawUpstream(response: string): net.Server {
  return net.createServer((socket) => {
    socket.once("data", () => socket.end(Buffer.from(response, "latin1")));
    socket.on("error", () => {});
  });
}

/**
 * The workbook's side: an Express app with the recording proxy mounted for every path, as the workbook mounts it
 * (X-Powered-By left on, as in a default Express app). The request headers the proxy received are kept.
 */
export function workbookApp(
  target: () => URL | undefined,
  unavailable?: () => string | undefined,
  options: Pick<RecordingProxyOptions, "printed" | "answerTimeoutMs" | "onAnswer"> = {},
) {
  const recorder = new CookieRecorder();
  const arrived: (readonly string[])[] = [];
  const app = express();
  app.use((req, _res, next) => {
    arrived.push(req.rawHeaders);
    next();
  });
  app.use(recordingProxy({ target, recorder, unavailable, ...options }));
  return { app, recorder, arrived };
}

/** RFC 9110 §7.6.1: what a proxy does not forward, and what each hop writes for itself. */
export const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "te",
  "upgrade",
  "trailer",
  "proxy-connection",
]);

export function endToEnd(raw: readonly string[]): string[] {
  const kept: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (!HOP_BY_HOP.has(raw[index]!.toLowerCase())) kept.push(raw[index]!, raw[index + 1]!);
  }
  return kept;
}

/** The response as Node received it: superagent keeps it as `res`, its types do not say so. */
export function incomingOf(response: { headers: unknown }): IncomingMessage {
  return (response as unknown as { res: IncomingMessage }).res;
}

/** The response head as the client received it, raw. */
export function rawHeadersOf(response: { headers: unknown }): string[] {
  return incomingOf(response).rawHeaders;
}

/** Sends a request with exactly these raw headers (names, case, order, duplicates) and reads the whole answer. */
export function sendRaw(
  url: URL,
  method: string,
  rawHeaders: string[],
  body = "",
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(url, { method, headers: rawHeaders }, (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** Every value of one header, in order. */
export function valuesOf(raw: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let index = 0; index + 1 < raw.length; index += 2) {
    if (raw[index]!.toLowerCase() === name) values.push(raw[index + 1]!);
  }
  return values;
}
