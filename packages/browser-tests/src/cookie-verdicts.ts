import type { BrowserContext, Page } from "playwright-core";

/**
 * Chromium's own account of the cookies it weighed for each request: DevTools protocol events
 * `Network.requestWillBeSent` (the URL) and `Network.requestWillBeSentExtraInfo` (`associatedCookies`, each with
 * the reasons it was left out, empty when it was sent).
 *
 * The tests need the reason, not only the absence: Chromium 156 also blocks third-party cookies by default
 * (reason `UserPreferences`), so a cookie missing from a cross-site request proves nothing about SameSite unless
 * Chromium says SameSite=Lax is (also) why.
 */
export interface CookieVerdicts {
  /**
   * Why Chromium left cookie `name` out of the request for `url`: `[]` when it sent it, `undefined` when it did
   * not consider that cookie for such a request (or no such request was made).
   */
  blockedReasons(url: string, name: string): string[] | undefined;
}

interface ExtraInfoEvent {
  requestId: string;
  associatedCookies: { cookie: { name: string }; blockedReasons: string[] }[];
}

interface RequestEvent {
  requestId: string;
  request: { url: string };
}

export async function watchCookieVerdicts(context: BrowserContext, page: Page): Promise<CookieVerdicts> {
  const session = await context.newCDPSession(page);
  const urls = new Map<string, string>();
  const cookies = new Map<string, ExtraInfoEvent["associatedCookies"]>();
  session.on("Network.requestWillBeSent", (event: RequestEvent) => urls.set(event.requestId, event.request.url));
  session.on("Network.requestWillBeSentExtraInfo", (event: ExtraInfoEvent) =>
    cookies.set(event.requestId, event.associatedCookies),
  );
  await session.send("Network.enable");

  return {
    blockedReasons(url, name) {
      for (const [requestId, requestUrl] of urls) {
        if (requestUrl !== url) continue;
        const cookie = cookies.get(requestId)?.find((associated) => associated.cookie.name === name);
        if (cookie) return cookie.blockedReasons;
      }
      return undefined;
    },
  };
}
