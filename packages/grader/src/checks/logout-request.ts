import { AsyncLocalStorage } from "node:async_hooks";
import type { CheckAdapter } from "../harness/check.js";
import { get, post, type Exchange } from "../harness/exchange.js";
import type { App } from "../harness/session.js";

/**
 * How a visitor logs out in the exercise being graded: by following a link, GET /logout (03–05), or by submitting
 * a form, POST /logout (from 06, where a GET must change nothing). 03's checks log out through {@link logOut}, so
 * that they keep applying to a later exercise's app.
 */
export type LogoutMethod = "GET" | "POST";

const methodOfThisCheck = new AsyncLocalStorage<LogoutMethod>();

/** A check group's `adapts`: from this exercise on, logging out is a request with this method. */
export function logoutTravelsAs(method: LogoutMethod): CheckAdapter {
  return (_secrets, work) => methodOfThisCheck.run(method, work);
}

/** The method a visitor logs out with, in the exercise being graded. */
export function logoutMethod(): LogoutMethod {
  return methodOfThisCheck.getStore() ?? "GET";
}

/** Logs out as the exercise being graded has it (a POST sends the empty form a logout button submits). */
export function logOut(app: App, cookie?: string): Promise<Exchange> {
  return logoutMethod() === "POST" ? post(app, "/logout", {}, cookie) : get(app, "/logout", cookie);
}
