import type { Response } from "express";

/**
 * Server-sent events (HTML Living Standard §9.2) to every open workbook page: a named event with one line of JSON.
 * The browser's EventSource reconnects by itself after a restart of the workbook.
 */
export class EventHub {
  readonly #clients = new Set<Response>();

  /** Keeps `res` open as an event stream until the page goes away. */
  subscribe(res: Response): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    // A comment line first, so the browser sees the stream open at once.
    res.write(": connected\n\n");
    this.#clients.add(res);
    res.on("close", () => this.#clients.delete(res));
  }

  send(event: string, data: unknown): void {
    // JSON.stringify never writes a line break: the data is one `data:` line.
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const client of this.#clients) client.write(message);
  }

  /** Ends every stream, so the server can close. */
  close(): void {
    for (const client of this.#clients) client.end();
    this.#clients.clear();
  }

  get size(): number {
    return this.#clients.size;
  }
}
