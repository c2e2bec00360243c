import http from "node:http";
import { once } from "node:events";
import net from "node:net";
import request from "supertest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { renderJarPanel } from "../src/proxy/index.js";
import { describeNoAnswer } from "../src/proxy/recording-proxy.js";
import {
  endToEnd,
  incomingOf,
  listen,
  rawHeadersOf,
  rawUpstream,
  sendRaw,
  upstreamApp,
  valuesOf,
  workbookApp,
  type Listening,
} from "./proxy-upstream.js";

const open: Listening[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

async function started(server: http.Server | net.Server): Promise<Listening> {
  const listening = await listen(server);
  open.push(listening);
  return listening;
}

/** The app's response head, written as is (no Date added): what the client must receive, hop-by-hop aside. */
const APP_HEADERS = [
  "Set-Cookie",
  "sid=abc; Path=/; HttpOnly",
  "X-Custom",
  "one",
  "Set-Cookie",
  "theme=dark; Max-Age=3600",
  "x-lower-case",
  "kept as written",
  "X-Custom",
  "two",
  "Set-Cookie",
  "lang=en",
  "Content-Type",
  "text/plain; charset=utf-8",
  "Content-Length",
  "2",
];

function answersWithAppHeaders() {
  return upstreamApp((_req, res) => {
    res.sendDate = false;
    res.writeHead(200, APP_HEADERS);
    res.end("ok");
  });
}

describe("describeNoAnswer(method, path, timeoutMs)", () => {
  it("gives the time in seconds, or in milliseconds below one", () => {
    expect(describeNoAnswer("GET", "/profile", 10_000)).toContain(
      "the app got GET /profile and sent no answer within 10 s.",
    );
    expect(describeNoAnswer("POST", "/logout", 300)).toContain(
      "the app got POST /logout and sent no answer within 300 ms.",
    );
  });
});

describe("recordingProxy({ target, recorder })", () => {
  it("sends a GET again, once, when the app restarting resets its connection (a save restarts the app)", async () => {
    // The first connection is reset, as by an app ended mid-request; the next one is answered.
    let connections = 0;
    const restarting = await started(
      net.createServer((socket) => {
        connections++;
        socket.on("error", () => {});
        if (connections === 1) socket.resetAndDestroy();
        else
          socket.once("data", () =>
            socket.end("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nagain"),
          );
      }),
    );
    const { app } = workbookApp(() => restarting.url);
    const answer = await request(app).get("/last-visit");
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("again");
    expect(connections).toBe(2);
  });

  describe("requests", () => {
    it("forwards the method, path and query, and every header unchanged: Host, Cookie, case, order and duplicates", async () => {
      const { server, received } = upstreamApp((_req, res) => res.end("ok"));
      const upstream = await started(server);
      const { app } = workbookApp(() => upstream.url);
      const workbook = await started(http.createServer(app));
      const sent = [
        "Host",
        "localhost:4000",
        "X-Custom",
        "first",
        "Cookie",
        "sid=abc; theme=dark",
        "x-lower",
        "as written",
        "X-Custom",
        "second",
        "Accept",
        "text/html",
        "Connection",
        "keep-alive",
      ];

      const answer = await sendRaw(new URL("/account/settings?tab=privacy&x=%20y", workbook.url), "GET", sent);

      expect(answer.status).toBe(200);
      const [seen] = received;
      expect(seen?.method).toBe("GET");
      expect(seen?.url).toBe("/account/settings?tab=privacy&x=%20y");
      // All but Connection, which is the hop's own (RFC 9110 §7.6.1): the browser's Host, not the app's address,
      // and nothing a proxy usually adds (X-Forwarded-*, Via).
      expect(endToEnd(seen!.rawHeaders)).toStrictEqual(endToEnd(sent));
    });

    it("drops the headers the Connection header names, as a proxy must (RFC 9110 §7.6.1)", async () => {
      const { server, received } = upstreamApp((_req, res) => res.end("ok"));
      const upstream = await started(server);
      const { app } = workbookApp(() => upstream.url);
      const workbook = await started(http.createServer(app));

      await sendRaw(new URL("/", workbook.url), "GET", [
        "Host",
        "localhost:4000",
        "Connection",
        "keep-alive, X-Hop",
        "X-Hop",
        "1",
        "X-End",
        "2",
      ]);

      expect(endToEnd(received[0]!.rawHeaders)).toStrictEqual(["Host", "localhost:4000", "X-End", "2"]);
    });

    it("forwards a POSTed form body as it was sent", async () => {
      const { server, received } = upstreamApp((req, res) => res.end(`got ${req.body}`));
      const upstream = await started(server);
      const { app } = workbookApp(() => upstream.url);

      const response = await request(app)
        .post("/login")
        .type("form")
        .send({ user: "ada lovelace", pass: "p&ss=ö" })
        .expect(200);

      expect(received[0]?.body).toBe("user=ada%20lovelace&pass=p%26ss%3D%C3%B6");
      expect(valuesOf(received[0]!.rawHeaders, "content-type")).toStrictEqual(["application/x-www-form-urlencoded"]);
      expect(response.text).toBe("got user=ada%20lovelace&pass=p%26ss%3D%C3%B6");
    });
  });

  describe("responses", () => {
    it("passes the status and every header unchanged: several Set-Cookie lines, custom headers, case, each name's lines in order", async () => {
      const { server } = answersWithAppHeaders();
      const upstream = await started(server);
      // X-Powered-By left on, as in a default Express app: the app's response must not carry it.
      const { app } = workbookApp(() => upstream.url);

      const response = await request(app).get("/").expect(200);

      // Lines of one name keep their order; names follow their first line (RFC 9110 §5.3: their order is not
      // significant). Nothing is added: no X-Powered-By, no Date the app did not send.
      expect(endToEnd(rawHeadersOf(response))).toStrictEqual([
        "Set-Cookie",
        "sid=abc; Path=/; HttpOnly",
        "Set-Cookie",
        "theme=dark; Max-Age=3600",
        "Set-Cookie",
        "lang=en",
        "X-Custom",
        "one",
        "X-Custom",
        "two",
        "x-lower-case",
        "kept as written",
        "Content-Type",
        "text/plain; charset=utf-8",
        "Content-Length",
        "2",
      ]);
      expect(response.status).toBe(200);
      expect(response.text).toBe("ok");
    });

    it("passes the status line's code and reason phrase", async () => {
      const { server } = upstreamApp((_req, res) => {
        res.writeHead(418, "Short and Stout");
        res.end();
      });
      const upstream = await started(server);
      const { app } = workbookApp(() => upstream.url);

      const response = await request(app).get("/teapot").expect(418);

      expect(incomingOf(response).statusMessage).toBe("Short and Stout");
    });

    it("records the Cookie header sent and each Set-Cookie line", async () => {
      const { server } = answersWithAppHeaders();
      const upstream = await started(server);
      const { app, recorder } = workbookApp(() => upstream.url);

      await request(app).get("/home?x=1").set("Cookie", "old=1").expect(200);

      const [exchange] = recorder.exchanges();
      expect(exchange).toMatchObject({ method: "GET", path: "/home?x=1", status: 200, cookieHeader: "old=1" });
      expect(exchange?.setCookies.map((line) => [line.line, line.outcome.kind])).toStrictEqual([
        ["sid=abc; Path=/; HttpOnly", "stored"],
        ["theme=dark; Max-Age=3600", "stored"],
        ["lang=en", "stored"],
      ]);
      expect(
        recorder
          .jar()
          .map((cookie) => cookie.name)
          .sort(),
      ).toStrictEqual(["lang", "old", "sid", "theme"]);
    });

    it("streams a response: the first chunk reaches the browser before the app has written the rest", async () => {
      let finish: () => void = () => {};
      const rest = new Promise<void>((resolve) => (finish = resolve));
      const { server } = upstreamApp((_req, res) => {
        res.writeHead(200, { "Content-Type": "text/plain" });
        res.write("first ");
        void rest.then(() => res.end("and the rest"));
      });
      const upstream = await started(server);
      const { app } = workbookApp(() => upstream.url);
      const workbook = await started(http.createServer(app));

      const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
        http.get(new URL("/stream", workbook.url), resolve).on("error", reject),
      );
      response.setEncoding("utf8");
      const [firstChunk] = (await once(response, "data")) as [string];
      expect(firstChunk).toBe("first ");
      // Only now does the app finish: had the proxy buffered, the first chunk would never have come.
      finish();
      let text = firstChunk;
      for await (const chunk of response) text += chunk as string;
      expect(text).toBe("first and the rest");
    });
  });

  describe("when the app does not answer", () => {
    it("answers 502 with a page that says the app is not running, and why", async () => {
      const { app, recorder } = workbookApp(
        () => undefined,
        () => "it stopped: SyntaxError in src/<app>.ts",
      );

      const response = await request(app)
        .get("/")
        .expect(502)
        .expect("Content-Type", /text\/html/);

      expect(response.text).toContain("<h1>The app is not answering</h1>");
      expect(response.text).toContain("it stopped: SyntaxError in src/&lt;app&gt;.ts");
      expect(recorder.exchanges()[0]).toMatchObject({
        status: 502,
        notes: ["The app did not answer: it stopped: SyntaxError in src/<app>.ts"],
      });
    });

    it("says the app is not running when no reason is given", async () => {
      const { app } = workbookApp(() => undefined);
      expect((await request(app).get("/").expect(502)).text).toContain("the app is not running.");
    });

    it("answers 502 naming the cause when nothing listens at the app's address", async () => {
      const closed = await listen(http.createServer());
      await closed.close();
      const { app } = workbookApp(() => closed.url);

      const response = await request(app).get("/").expect(502);

      expect(response.text).toContain(`nothing listens at 127.0.0.1:${closed.url.port}: the app is not running`);
    });

    it("stops waiting for an app that never answers, answers 502 naming the likely causes, and says so (a loop that never ends)", async () => {
      const { server } = upstreamApp((req, res) => {
        if (req.url !== "/profile") res.end("home");
        // /profile: never answered, as by a handler stuck in a loop or one that calls neither res.send nor next.
      });
      const upstream = await started(server);
      const answers: unknown[] = [];
      // Long enough for the app's answer to / (the last step) to come in time on a loaded machine: CI once missed 300 ms.
      const { app, recorder } = workbookApp(() => upstream.url, undefined, {
        answerTimeoutMs: 2_000,
        onAnswer: (answer) => answers.push(answer),
      });

      const response = await request(app).get("/profile").timeout(20_000).expect(502);

      expect(response.text).toContain(
        "the app got GET /profile and sent no answer within 2 s. The likely cause: a loop that never ends",
      );
      expect(response.text).toContain("a handler that never answers");
      expect(recorder.exchanges()[0]).toMatchObject({ status: 502, path: "/profile" });
      expect(answers).toStrictEqual([
        { answered: false, reason: expect.stringContaining("a loop that never ends") as unknown },
      ]);
      // The app answering again is said too (the workbook's page shows it running).
      await request(app).get("/").expect(200, "home");
      expect(answers.at(-1)).toStrictEqual({ answered: true });
    });

    it("shows what the app printed last below the cause, the line that says what is wrong first, and no terminal to look in", async () => {
      const printed =
        '/home/me/course/exercises/01-x/src/app.ts:7:3: ERROR: Unexpected "<"\n    at failureErrorWithLog (esbuild/lib/main.js:1:1)';
      const { app } = workbookApp(
        () => undefined,
        () => "The app of 01-x ended: it crashed (exit code 1). It starts again on your next save.",
        { printed: () => printed },
      );

      const response = await request(app).get("/").expect(502);

      expect(response.text).toContain("<h2>What the app printed last</h2>");
      expect(response.text).toContain(
        "<strong><code>syntax error at src/app.ts:7:3: Unexpected &quot;&lt;&quot;</code></strong>",
      );
      expect(response.text).not.toContain("terminal");
    });

    it("answers 502 naming the cause when the app closes the connection without answering", async () => {
      const { server } = upstreamApp((req) => req.socket.destroy());
      const upstream = await started(server);
      const { app } = workbookApp(() => upstream.url);

      const response = await request(app).post("/crash").send("x").expect(502);

      expect(response.text).toContain(
        "the app closed the connection without answering POST /crash: it may have crashed",
      );
    });
  });

  describe("Set-Cookie lines a browser rejects", () => {
    it("shows a line longer than 4 kB (name and value) as rejected, and still passes it on", async () => {
      const big = `big=${"v".repeat(4100)}`;
      const { server } = upstreamApp((_req, res) => {
        res.setHeader("Set-Cookie", [big, "small=1"]);
        res.end();
      });
      const upstream = await started(server);
      const { app, recorder } = workbookApp(() => upstream.url);

      const response = await request(app).get("/").expect(200);

      expect(valuesOf(rawHeadersOf(response), "set-cookie")).toStrictEqual([big, "small=1"]);
      const [line, small] = recorder.exchanges()[0]!.setCookies;
      expect(line?.outcome).toMatchObject({ kind: "rejected", rule: "too-big" });
      expect(small?.outcome.kind).toBe("stored");
      expect(recorder.jar().map((cookie) => cookie.name)).toStrictEqual(["small"]);
      expect(renderJarPanel(recorder).toString()).toContain(
        "<strong>Rejected</strong>: its name and value are 4103 bytes, over the 4096 a browser keeps",
      );
    });

    it("shows a line with a control character as rejected (RFC 6265bis §5.6 step 1), though Node cannot pass it on", async () => {
      const upstream = await started(
        rawUpstream(
          "HTTP/1.1 200 OK\r\nSet-Cookie: a=1\x01; Path=/\r\nSet-Cookie: b=2\r\nX-App: yes\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok",
        ),
      );
      const { app, recorder } = workbookApp(() => upstream.url);

      const response = await request(app).get("/").expect(200);

      // The browser would ignore that line anyway: the rest of the response arrives as sent.
      expect(valuesOf(rawHeadersOf(response), "set-cookie")).toStrictEqual(["b=2"]);
      expect(valuesOf(rawHeadersOf(response), "x-app")).toStrictEqual(["yes"]);
      expect(response.text).toBe("ok");
      const exchange = recorder.exchanges()[0]!;
      expect(exchange.setCookies[0]?.outcome).toMatchObject({ kind: "rejected", rule: "control-character" });
      expect(exchange.notes).toStrictEqual([
        'The workbook could not pass on the header "Set-Cookie: a=1\\u0001; Path=/": Node refuses to send a control character in a header. ' +
          "A browser ignores a Set-Cookie line that holds one, so the app behaves the same for cookies.",
      ]);
      const panel = renderJarPanel(recorder).toString();
      expect(panel).toContain("<strong>Rejected</strong>: it contains a control character (U+0001) at position 4");
      expect(panel).toContain('<code class="jar-raw">a=1\\u0001; Path=/</code>');
    });

    it("shows a line with neither a name nor a value as rejected", async () => {
      const { server } = upstreamApp((_req, res) => {
        res.setHeader("Set-Cookie", "=");
        res.end();
      });
      const upstream = await started(server);
      const { app, recorder } = workbookApp(() => upstream.url);

      await request(app).get("/").expect(200);

      expect(renderJarPanel(recorder).toString()).toContain(
        "<strong>Rejected</strong>: it has neither a name nor a value",
      );
      expect(recorder.jar()).toStrictEqual([]);
    });
  });

  describe("deletions, as the panel shows them", () => {
    async function session() {
      const { server } = upstreamApp((req, res) => {
        if (req.url === "/login") res.setHeader("Set-Cookie", "sid=abc123; Path=/; HttpOnly");
        if (req.url === "/logout-wrong") res.setHeader("Set-Cookie", "sid=; Path=/logout-wrong; Max-Age=0");
        if (req.url === "/logout") res.setHeader("Set-Cookie", "sid=; Path=/; Max-Age=0");
        res.end();
      });
      const upstream = await started(server);
      const { app, recorder } = workbookApp(() => upstream.url);
      await request(app).post("/login").expect(200);
      return { app, recorder };
    }

    it("shows a deletion whose Path does not match as not deleted, and the cookie stays in the jar", async () => {
      const { app, recorder } = await session();

      await request(app).post("/logout-wrong").set("Cookie", "sid=abc123").expect(200);

      const outcome = recorder.exchanges()[0]!.setCookies[0]!.outcome;
      expect(outcome).toStrictEqual({
        kind: "did-not-delete",
        reason:
          "the deletion names Path=/logout-wrong, but the cookie has Path=/: a browser deletes only the cookie with the same name, Domain and Path",
      });
      expect(recorder.jar()).toMatchObject([{ name: "sid", value: "abc123", path: "/" }]);
      expect(renderJarPanel(recorder).toString()).toContain(
        "<strong>Not deleted</strong>: the deletion names Path=/logout-wrong, but the cookie has Path=/",
      );
    });

    it("shows a deletion with the same name, Domain and Path as deleted, and the jar no longer has the cookie", async () => {
      const { app, recorder } = await session();

      await request(app).post("/logout").set("Cookie", "sid=abc123").expect(200);

      expect(recorder.exchanges()[0]!.setCookies[0]!.outcome).toMatchObject({
        kind: "deleted",
        cookie: { name: "sid", path: "/" },
      });
      expect(recorder.jar()).toStrictEqual([]);
      expect(renderJarPanel(recorder).toString()).toContain(
        "The browser holds no cookies for localhost that the workbook knows of.",
      );
    });

    it("shows an HttpOnly cookie in the jar, with HttpOnly as a word", async () => {
      const { recorder } = await session();
      const panel = renderJarPanel(recorder).toString();
      expect(panel).toContain('<th scope="col">HttpOnly</th>');
      expect(panel).toMatch(
        /<tr><th scope="row"><code>sid<\/code><\/th><td><code>abc123<\/code><\/td><td><code>\/<\/code><\/td><td>localhost \(host-only\)<\/td><td>when the browser closes \(a session cookie\)<\/td><td>yes<\/td><td>no<\/td><td>not set \(Lax\)<\/td><\/tr>/,
      );
    });
  });

  it("escapes markup an app puts in a cookie, everywhere the panel shows it", async () => {
    const { server } = upstreamApp((_req, res) => {
      res.setHeader("Set-Cookie", ["x=<img src=x onerror=alert(1)>; Path=/", `y=${encodeURIComponent("<b>hi</b>")}`]);
      res.end();
    });
    const upstream = await started(server);
    const { app, recorder } = workbookApp(() => upstream.url);

    await request(app).get("/<i>?q=<script>").set("Cookie", "z=<svg onload=alert(1)>").expect(200);

    const panel = renderJarPanel(recorder).toString();
    expect(panel).not.toMatch(/<(img|script|svg|b|i)[\s>]/);
    expect(panel).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(panel).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(panel).toContain("&lt;svg onload=alert(1)&gt;");
  });

  it("passes the app's answer even when the panel fails to update", async () => {
    const { server } = upstreamApp((_req, res) => {
      res.setHeader("Set-Cookie", "a=1");
      res.end("ok");
    });
    const upstream = await started(server);
    const { app, recorder } = workbookApp(() => upstream.url);
    recorder.onChange(() => {
      throw new Error("the event stream is closed");
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});

    const response = await request(app).get("/").expect(200);

    expect(response.text).toBe("ok");
    expect(logged).toHaveBeenCalledWith(
      "The cookie panel could not be updated:",
      new Error("the event stream is closed"),
    );
    logged.mockRestore();
  });

  it("stops asking the app when the browser goes away mid-response", async () => {
    const { server } = upstreamApp((_req, res) => {
      res.writeHead(200);
      res.write("a");
    });
    const upstream = await started(server);
    const closedAtApp = new Promise<void>((resolve) =>
      server.on("request", (req: http.IncomingMessage) => req.socket.on("close", () => resolve())),
    );
    const { app } = workbookApp(() => upstream.url);
    const workbook = await started(http.createServer(app));

    const response = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get(new URL("/", workbook.url), resolve).on("error", reject),
    );
    await once(response, "data");
    response.destroy();

    await closedAtApp;
  });
});
