// TEMPORARY STUB
import { request } from "node:http";
import type { NextFunction, Request, Response } from "express";
import type { CookieRecorder } from "./recorder.js";
export function recordingProxy(options: { target: () => Promise<URL | undefined> | URL | undefined; recorder: CookieRecorder; unavailable?: () => string | undefined }) {
  return async (req: Request, res: Response, _next: NextFunction) => {
    const target = await options.target();
    if (!target) {
      res.status(502).send(options.unavailable?.() ?? "no app");
      return;
    }
    const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      answer.pipe(res);
    });
    req.pipe(upstream);
  };
}
