import type { NextFunction, Request, Response } from "express";

/**
 * The workbook answers only to its own names: a request whose Host is not localhost or 127.0.0.1 at its port is
 * refused, so a web page cannot reach it through DNS rebinding (a name of the page's that it points at
 * 127.0.0.1 later) and read the learner's files. A form posted from another site is refused too (its Origin).
 */
export function localOnly(port: () => number) {
  return (req: Request, res: Response, next: NextFunction) => {
    const allowed = new Set([`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`]);
    const host = req.headers.host ?? "";
    if (!allowed.has(host)) {
      res.status(403).type("text/plain").send(`The workbook answers only at http://localhost:${port()}, not at ${host || "a request without a Host"}.\n`);
      return;
    }
    const origin = req.headers.origin;
    if (req.method !== "GET" && req.method !== "HEAD" && origin !== undefined && origin !== "null" && !allowed.has(origin.replace(/^https?:\/\//, ""))) {
      res.status(403).type("text/plain").send("A form from another site cannot act in the workbook.\n");
      return;
    }
    next();
  };
}
