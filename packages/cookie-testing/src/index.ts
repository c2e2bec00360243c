export { BrowserJar, type BrowserJarOptions, type Rejection, type StoreOptions } from "./browser-jar.js";
export { judgeDeletion, type DeletionVerdict, type KeptBecause, type ResponseLines } from "./deletion.js";
export {
  judgeSetCookie,
  type AcceptedSetCookie,
  type BrowserCookie,
  type RejectedSetCookie,
  type RejectionRule,
  type SetCookieVerdict,
} from "./judge.js";
export { describeIgnored, type IgnoredAttribute, type SameSite } from "./attributes.js";
export { splitSetCookie, type CookieAttribute, type SetCookieParts } from "./set-cookie-line.js";
export { deletesCookie, rawSetCookies, setCookiesNamed, type Cookie, type ResponseWithHeaders } from "./set-cookie.js";
