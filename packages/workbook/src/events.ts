import type { Response } from "express";

/**
 * Server-sent events (HTML Living Standard §9.2) to every open workbook page: a named event with one line of JSON.
 * The browser's EventSource reconnects by itself after a restart of the workbook.
 */
export class EventHub {
  readonly #clients = new Set<Response>();

  /** Keeps `res` open as an event stream until the page goes away; `first` are sent to it alone, at once. */
  subscribe(res: Response, first: readonly { event: string; data: unknown }[] = []): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
    });
    // A comment line first, so the browser sees the stream open at once.
    res.write(": connected\n\n");
    for (const { event, data } of first) res.write(message(event, data));
    this.#clients.add(res);
    res.on("close", () => this.#clients.delete(res));
  }

  send(event: string, data: unknown): void {
    const text = message(event, data);
    for (const client of this.#clients) client.write(text);
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

/** One event: JSON.stringify never writes a line break, so the data is one `data:` line. */
function message(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
