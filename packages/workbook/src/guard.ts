import type { NextFunction, Request, Response } from "express";

/**
 * The workbook answers only to its own names: a request whose Host is not localhost or 127.0.0.1 at its port is
 * refused, so a web page cannot reach it through DNS rebinding (a name of the page's that it points at 127.0.0.1
 * later) and read the learner's files. This holds for the app's paths too.
 */
export function localOnly(port: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const host = req.headers.host ?? "";
    if (!ownHosts(port()).has(host)) {
      res
        .status(403)
        .type("text/plain")
        .send(
          `The workbook answers only at http://localhost:${port()}, not at ${host || "a request without a Host"}.\n`,
        );
      return;
    }
    next();
  };
}

/**
 * The workbook's own pages and forms act only for the workbook's own pages (the app's traffic is the app's to
 * judge: SameSite is part of the course). Refused: a form from anywhere else, `Origin: null` included (a sandboxed
 * frame or a data: page of another site sends it); a subresource another site asks for (an <img> pointed at an
 * exercise's page would move the learner's app again and again). A top-level visit from a link stays allowed. And
 * no other site may show a workbook page inside its own (clickjacking its hint and solution buttons).
 */
export function ownPagesOnly(port: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader("X-Frame-Options", "SAMEORIGIN");
    res.setHeader("Content-Security-Policy", WORKBOOK_CSP);
    const site = req.headers["sec-fetch-site"];
    const crossSite = site === "cross-site" || site === "same-site";
    if (req.method !== "GET" && req.method !== "HEAD") {
      const origin = req.headers.origin;
      const fromOwnPage = origin === undefined ? !crossSite : ownHosts(port()).has(origin.replace(/^https?:\/\//, ""));
      if (!fromOwnPage) return refuse(res, "A form from another site cannot act in the workbook.");
    } else if (crossSite && req.headers["sec-fetch-mode"] !== "navigate") {
      return refuse(res, "Another site cannot load the workbook's pages.");
    }
    next();
  };
}

/**
 * The workbook's pages load only their own files: no inline script, nothing from the network, framed only by the
 * workbook itself, forms sent only to it.
 */
const WORKBOOK_CSP =
  "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

function ownHosts(port: number): Set<string> {
  return new Set([`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]);
}

function refuse(res: Response, sentence: string): void {
  res.status(403).type("text/plain").send(`${sentence}\n`);
}
