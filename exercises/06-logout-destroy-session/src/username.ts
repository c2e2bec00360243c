/** The longest username the login form accepts, in characters. */
export const MAX_USERNAME_LENGTH = 64;

export type UsernameResult =
  { readonly ok: true; readonly username: string } | { readonly ok: false; readonly problem: string };

/**
 * The username of a submitted login form, or why there is none. The form is the visitor's input: the field may be
 * missing, repeated (an array), blank, or as long as the body parser allows.
 */
export function readUsername(form: unknown): UsernameResult {
  const field: unknown =
    typeof form === "object" && form !== null ? (form as Record<string, unknown>).username : undefined;
  if (typeof field !== "string") return { ok: false, problem: "Enter a username to log in: the form sent none." };
  const username = field.trim();
  if (username === "") return { ok: false, problem: "The username is empty: enter one to log in." };
  // Characters as a reader counts them (an emoji is one), not UTF-16 code units.
  const length = [...username].length;
  if (length > MAX_USERNAME_LENGTH) {
    return {
      ok: false,
      problem: `That username is too long: ${length} characters, where at most ${MAX_USERNAME_LENGTH} are allowed.`,
    };
  }
  return { ok: true, username };
}
