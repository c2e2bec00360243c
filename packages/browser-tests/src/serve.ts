import { createServer, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";

/** What a server saw of one request: enough to tell which cookies the browser chose to send, and why. */
export interface RecordedRequest {
  readonly method: string;
  /** The path and query, e.g. `/?via=img`. */
  readonly url: string;
  /** The raw `Cookie` header, or `undefined` when the browser sent none. */
  readonly cookie: string | undefined;
  /** Fetch metadata: `same-origin`, `same-site`, `cross-site` or `none`, as the browser classified the request. */
  readonly secFetchSite: string | undefined;
  /** `document` for a navigation, `image` for an `<img>`… */
  readonly secFetchDest: string | undefined;
}

export interface Served {
  /** `http://HOST:PORT`, with the host name the browser should use. */
  readonly origin: string;
  readonly port: number;
  /** Every request so far, oldest first. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Serves `handler` on 127.0.0.1 on a free port, recording each request before the handler sees it. `host` is the
 * name the browser is given: `localhost`, or a name that `--host-resolver-rules` maps to 127.0.0.1.
 */
export async function serve(handler: RequestListener, host = "localhost"): Promise<Served> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      cookie: req.headers.cookie,
      secFetchSite: header(req.headers["sec-fetch-site"]),
      secFetchDest: header(req.headers["sec-fetch-dest"]),
    });
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${host}:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Chromium keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(", ") : value;
}

/** The value of cookie `name` in a `Cookie` request header, as sent (not decoded), or `undefined`. */
export function cookieSent(cookieHeader: string | undefined, name: string): string | undefined {
  for (const pair of cookieHeader?.split(";") ?? []) {
    const [key = "", ...value] = pair.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}
