import session, { type Store } from "express-session";
import createMemoryStore from "memorystore";
import { SESSION_LIFETIME_MS } from "./session.js";

/**
 * The session store server.ts gives the app. express-session's own MemoryStore forgets an expired session only if
 * its id comes back: abandoned sessions pile up until the process dies. memorystore drops them on a timer, and is
 * plain JavaScript (it installs on every system with no build). It still lives in this process: a restart logs
 * everyone out, and two processes do not share it. For that, a shared store (connect-redis, connect-pg-simple): the
 * lesson's §8.
 */
export function productionSessionStore(): Store {
  const MemoryStore = createMemoryStore(session);
  return new MemoryStore({ checkPeriod: SESSION_LIFETIME_MS });
}
