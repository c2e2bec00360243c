// TEMPORARY STUB
import { html, type SafeHtml } from "@cookie-course/cookie-utils";
import type { CookieRecorder } from "./recorder.js";
export function renderJarPanel(_recorder: CookieRecorder): SafeHtml {
  return html`<section id="jar" aria-labelledby="jar-title"><h2 id="jar-title">Cookie jar</h2></section>`;
}
