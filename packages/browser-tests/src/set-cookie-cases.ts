/**
 * Set-Cookie lines that test/jar-agrees-with-chromium.test.ts gives both to Chromium and to the grader's jar
 * (@cookie-course/cookie-testing), which must store, reject and delete exactly what Chromium does.
 */
export interface SetCookieCase {
  /** What the row shows; it names the test. */
  readonly about: string;
  /** The line under test. */
  readonly line: string;
  /** Lines stored first, one response each: what a deletion should delete, or what a line replaces. */
  readonly before?: readonly string[];
  /** The path of every request of the row (default "/"): a cookie without a Path gets this path's directory. */
  readonly path?: string;
  /** `other`: a site with a registrable domain and plain HTTP (not a secure context), instead of localhost. */
  readonly site?: "other";
}

/** The other site: a name under .test that --host-resolver-rules sends to 127.0.0.1 (src/chromium.ts). */
export const OTHER_SITE = "www.course.test";

const PAST = "Thu, 01 Jan 1970 00:00:00 GMT";
const deletion = (about: string, line: string, before = "a=1"): SetCookieCase => ({ about, line, before: [before] });
const repeat = (character: string, count: number) => character.repeat(count);

export const SET_COOKIE_CASES: readonly SetCookieCase[] = [
  // Stored as sent.
  { about: "a plain cookie", line: "a=1" },
  { about: "a cookie with the course's attributes", line: "a=1; Path=/; HttpOnly; SameSite=Lax; Max-Age=3600" },
  { about: "a quoted value, kept with its quotes", line: 'a="1"' },
  { about: "white space around the name, the value and attributes", line: "  a = 1 ; path = / " },
  { about: "a pair without '=': a nameless cookie", line: "noequals" },
  { about: "neither a name nor a value", line: "=" },
  { about: "a later Max-Age that wins over an earlier one", line: "a=1; Max-Age=0; Max-Age=60" },

  // SameSite and Secure.
  { about: "SameSite=None without Secure", line: "a=1; SameSite=None" },
  { about: "SameSite=None with Secure, on localhost", line: "a=1; SameSite=None; Secure" },
  { about: "SameSite=None last, after SameSite=Lax, without Secure", line: "a=1; SameSite=Lax; SameSite=None" },
  { about: "an unknown SameSite value", line: "a=1; SameSite=Bogus" },
  { about: "Secure over http://localhost", line: "a=1; Secure" },

  // Domain.
  { about: "Domain=localhost", line: "a=1; Domain=localhost" },
  { about: "Domain=.LOCALHOST", line: "a=1; Domain=.LOCALHOST" },
  { about: "Domain=example.com, which localhost does not match", line: "a=1; Domain=example.com" },
  { about: "Domain=www.localhost, a subdomain of the host", line: "a=1; Domain=www.localhost" },
  { about: "Domain=127.0.0.1", line: "a=1; Domain=127.0.0.1" },
  { about: "an empty Domain", line: "a=1; Domain=" },

  // Sizes.
  { about: "name and value of 4096 bytes", line: `a=${repeat("v", 4095)}` },
  { about: "name and value of 4097 bytes", line: `ab=${repeat("v", 4095)}` },
  { about: "a nameless value of 4097 bytes", line: repeat("v", 4097) },
  {
    about: "a line over 4096 bytes whose name and value are 4001",
    line: `a=${repeat("v", 3999)}; Path=/${repeat("p", 200)}`,
  },
  { about: "a Path of 1024 bytes", line: `a=1; Path=/${repeat("p", 1023)}` },
  { about: "a Path of 1025 bytes", line: `a=1; Path=/${repeat("p", 1024)}`, path: "/x/y" },
  { about: "a Domain of 1025 bytes", line: `a=1; Domain=${repeat("d", 1025)}` },
  { about: "a Max-Age of 1025 bytes", line: `a=1; Max-Age=${repeat("9", 1025)}` },

  // Path.
  { about: "no Path, set from /x/y", line: "a=1", path: "/x/y" },
  { about: "no Path, set from /x/y/", line: "a=1", path: "/x/y/" },
  { about: "a Path without a leading slash", line: "a=1; Path=abc", path: "/x/y" },

  // Name prefixes.
  { about: "__Host- with Secure and Path=/", line: "__Host-a=1; Secure; Path=/" },
  { about: "__Host- without a Path", line: "__Host-a=1; Secure" },
  { about: "__Host- with a Domain", line: "__Host-a=1; Secure; Path=/; Domain=localhost" },
  { about: "__Host- with an empty Domain", line: "__Host-a=1; Secure; Path=/; Domain=" },
  { about: "__secure- in lower case, without Secure", line: "__secure-a=1" },
  { about: "a nameless cookie whose value starts with __Secure-", line: "__Secure-a" },
  { about: "__Http- without HttpOnly", line: "__Http-a=1; Secure" },

  // Lifetime.
  { about: "an Expires in 2099, cut to 400 days", line: "a=1; Expires=Thu, 01 Jan 2099 00:00:00 GMT" },
  { about: "a Max-Age too big for 64 bits, cut to 400 days", line: "a=1; Max-Age=99999999999999999999" },
  { about: "a five-digit year", line: "a=1; Expires=Thu, 01 Jan 19700 00:00:00 GMT" },
  { about: "Max-Age=+60", line: "a=1; Max-Age=+60" },

  // Deletions of a=1 (stored by an earlier response, on Path=/).
  deletion("Max-Age=0", "a=; Max-Age=0"),
  deletion("Max-Age=-1", "a=; Max-Age=-1"),
  deletion("Max-Age=0.5", "a=; Max-Age=0.5"),
  deletion("Max-Age=abc", "a=; Max-Age=abc"),
  deletion("Max-Age=+0", "a=; Max-Age=+0"),
  deletion("Max-Age=-99999999999999999999", "a=; Max-Age=-99999999999999999999"),
  deletion("Max-Age=0x0", "a=; Max-Age=0x0"),
  deletion(`Expires=${PAST} (toUTCString)`, `a=; Expires=${PAST}`),
  deletion("Expires=Thursday, 01-Jan-70 00:00:00 GMT (RFC 850)", "a=; Expires=Thursday, 01-Jan-70 00:00:00 GMT"),
  deletion("Expires=Sun Nov  6 08:49:37 1994 (asctime)", "a=; Expires=Sun Nov  6 08:49:37 1994"),
  deletion(
    "Expires in Date#toString() form",
    "a=; Expires=Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)",
  ),
  deletion("Expires with quotes", `a=; Expires="${PAST}"`),
  deletion("Expires=1970-01-01", "a=; Expires=1970-01-01"),
  deletion("Expires=1970-01-01T00:00:00.000Z (toISOString)", "a=; Expires=1970-01-01T00:00:00.000Z"),
  deletion("Expires=yesterday", "a=; Expires=yesterday"),
  deletion("Expires=0", "a=; Expires=0"),
  deletion("Expires at 25:00:00", "a=; Expires=Thu, 01 Jan 1970 25:00:00 GMT"),
  deletion("Expires on 30 February", "a=; Expires=Sun, 30 Feb 2020 00:00:00 GMT"),
  deletion("Expires in 1600", "a=; Expires=Sat, 01 Jan 1600 00:00:00 GMT"),
  deletion("Expires with a one-digit year", "a=; Expires=Mon, 01 Jan 1 00:00:00 GMT"),
  deletion("Expires on the 1st", "a=; Expires=Wed, 1st Jan 2020 00:00:00 GMT"),
  deletion("Expires with a three-digit second", "a=; Expires=Thu, 01 Jan 1970 00:00:001 GMT"),
  deletion("a past Expires, then Expires=garbage", `a=; Expires=${PAST}; Expires=garbage`),
  deletion("Max-Age=0, then Max-Age=abc", "a=; Max-Age=0; Max-Age=abc"),
  deletion("Max-Age=abc and a past Expires", `a=; Max-Age=abc; Expires=${PAST}`),
  deletion("Max-Age=60 and a past Expires", `a=; Max-Age=60; Expires=${PAST}`),
  deletion("no Expires or Max-Age: only the value is blanked", "a="),
  deletion("Path=/x, of a cookie on Path=/", "a=; Path=/x; Max-Age=0"),
  deletion("no Path, of a cookie on Path=/x", "a=; Max-Age=0", "a=1; Path=/x"),
  deletion("Domain=example.com", "a=; Domain=example.com; Max-Age=0"),
  deletion("SameSite=None without Secure", "a=; SameSite=None; Max-Age=0"),
  deletion("without Secure, of a Secure cookie", "a=; Max-Age=0", "a=1; Secure"),
  deletion("Domain=localhost, of a host-only cookie", "a=; Domain=localhost; Max-Age=0"),

  // Another site, with a registrable domain (course.test) and plain HTTP.
  { site: "other", about: "Domain=course.test, from www.course.test", line: "a=1; Domain=course.test" },
  { site: "other", about: "Domain=test, a top-level domain", line: "a=1; Domain=test" },
  { site: "other", about: "Domain=other.test", line: "a=1; Domain=other.test" },
  { site: "other", about: "Secure over plain HTTP", line: "a=1; Secure" },
  {
    site: "other",
    about: "a host-only cookie, then the same name with Domain=www.course.test",
    line: "a=2; Domain=www.course.test",
    before: ["a=1"],
  },
  {
    site: "other",
    about: "deleting a host-only cookie with Domain=www.course.test",
    line: "a=; Domain=www.course.test; Max-Age=0",
    before: ["a=1"],
  },
  {
    site: "other",
    about: "deleting a Domain cookie without Domain",
    line: "a=; Max-Age=0",
    before: ["a=1; Domain=course.test"],
  },
  {
    site: "other",
    about: "deleting a Domain cookie with its Domain",
    line: "a=; Domain=course.test; Max-Age=0",
    before: ["a=1; Domain=course.test"],
  },
];
