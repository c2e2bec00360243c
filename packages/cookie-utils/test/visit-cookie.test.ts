import { afterEach, describe, expect, it, vi } from "vitest";
import {
  MAX_COOKIE_LIFETIME_MS,
  VISIT_COOKIE_LIFETIME_MS,
  VISIT_COOKIE_NAME,
  visitCookieOptions,
} from "../src/visit-cookie.js";

const DAY_MS = 24 * 60 * 60 * 1000;

describe("VISIT_COOKIE_NAME", () => {
  it("is last_visit", () => {
    expect(VISIT_COOKIE_NAME).toBe("last_visit");
  });

  it("is an RFC 6265 token: no separators, spaces or control characters", () => {
    expect(VISIT_COOKIE_NAME).toMatch(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/);
  });
});

describe("MAX_COOKIE_LIFETIME_MS", () => {
  it("is the 400 days that RFC 6265bis lets a browser keep a cookie", () => {
    expect(MAX_COOKIE_LIFETIME_MS).toBe(400 * DAY_MS);
    expect(MAX_COOKIE_LIFETIME_MS).toBe(34_560_000_000);
  });
});

describe("VISIT_COOKIE_LIFETIME_MS", () => {
  it("is 365 days", () => {
    expect(VISIT_COOKIE_LIFETIME_MS).toBe(365 * DAY_MS);
  });
});

describe("visitCookieOptions(input)", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("hides the cookie from document.cookie with httpOnly", () => {
    expect(visitCookieOptions().httpOnly).toBe(true);
  });

  it("keeps the cookie off cross-site subrequests with sameSite lax", () => {
    expect(visitCookieOptions().sameSite).toBe("lax");
  });

  it("scopes the cookie to the whole site with path /", () => {
    expect(visitCookieOptions().path).toBe("/");
  });

  it("sets no domain, so the cookie stays host-only", () => {
    expect(Object.keys(visitCookieOptions())).not.toContain("domain");
  });

  it("is not secure by default outside production, so it works on http://localhost", () => {
    vi.stubEnv("NODE_ENV", "test");
    expect(visitCookieOptions().secure).toBe(false);
  });

  it("is not secure when NODE_ENV is unset", () => {
    vi.stubEnv("NODE_ENV", undefined);
    expect(visitCookieOptions().secure).toBe(false);
  });

  it("is secure when asked for production", () => {
    vi.stubEnv("NODE_ENV", "development");
    expect(visitCookieOptions({ production: true }).secure).toBe(true);
  });

  it("is secure when NODE_ENV is production", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(visitCookieOptions().secure).toBe(true);
  });

  it("lets an explicit production: false win over NODE_ENV=production", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(visitCookieOptions({ production: false }).secure).toBe(false);
  });

  it("reads NODE_ENV on each call, not once at import", () => {
    vi.stubEnv("NODE_ENV", "production");
    expect(visitCookieOptions().secure).toBe(true);
    vi.stubEnv("NODE_ENV", "test");
    expect(visitCookieOptions().secure).toBe(false);
  });

  it("lives for VISIT_COOKIE_LIFETIME_MS, which is no more than the 400-day cap", () => {
    const { maxAge } = visitCookieOptions();
    expect(maxAge).toBe(VISIT_COOKIE_LIFETIME_MS);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(MAX_COOKIE_LIFETIME_MS);
  });

  it("returns exactly these five attributes", () => {
    expect(visitCookieOptions({ production: false })).toStrictEqual({
      httpOnly: true,
      sameSite: "lax",
      path: "/",
      secure: false,
      maxAge: 365 * DAY_MS,
    });
  });

  it("returns a frozen object, so setting and clearing cannot drift apart", () => {
    const options = visitCookieOptions();
    expect(Object.isFrozen(options)).toBe(true);
    expect(() => {
      (options as { path: string }).path = "/admin";
    }).toThrow(TypeError);
    expect(options.path).toBe("/");
  });

  it("returns a new object on each call", () => {
    expect(visitCookieOptions()).not.toBe(visitCookieOptions());
  });
});
