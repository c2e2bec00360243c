export {
  MAX_COOKIE_LIFETIME_MS,
  VISIT_COOKIE_LIFETIME_MS,
  VISIT_COOKIE_NAME,
  visitCookieOptions,
  type VisitCookieOptions,
  type VisitCookieOptionsInput,
} from "./visit-cookie.js";
export {
  MAX_VISIT_TIME_LENGTH,
  formatVisitTime,
  parseVisitTime,
  type VisitTimeProblem,
  type VisitTimeResult,
} from "./visit-time.js";
export { SafeHtml, escapeHtml, html, type HtmlValue } from "./html.js";
