import { describe, expect, it } from "vitest";
import type { CheckResult, ExerciseResult } from "@cookie-course/grader/report";
import { gradeBody, readMessage } from "../src/pages/grade-panel.js";

const MESSAGE = `The response to GET / stores no last_visit cookie.
Sent:     GET /  (no Cookie header)
Received: 200 Content-Type: text/html; charset=utf-8
          (no Set-Cookie header)
Expected: a Set-Cookie header that stores last_visit
Hint:     Which method of Express's res writes one?`;

function check(id: string, status: CheckResult["status"], extra: Partial<CheckResult> = {}): CheckResult {
  return {
    id,
    name: `check ${id}`,
    exercise: "02-read-last-visit",
    status,
    points: status === "passed" ? 1 : 0,
    maxPoints: 1,
    ...extra,
  };
}

function result(checks: CheckResult[]): ExerciseResult {
  const own = checks.filter((one) => !one.gate);
  return {
    id: "02-read-last-visit",
    status: checks.some((one) => one.status === "failed") ? "failed" : "passed",
    score: own.reduce((sum, one) => sum + one.points, 0),
    maxScore: own.reduce((sum, one) => sum + one.maxPoints, 0),
    durationMs: 5,
    checks,
  };
}

describe("the grade panel", () => {
  it("reads the grader's message back into its lead and its labelled parts, continuation lines included", () => {
    const { lead, parts } = readMessage(MESSAGE);
    expect(lead).toEqual(["The response to GET / stores no last_visit cookie."]);
    expect(parts.map((part) => part.label)).toEqual(["Sent", "Received", "Expected", "Hint"]);
    expect(parts[1]!.text).toBe("200 Content-Type: text/html; charset=utf-8\n(no Set-Cookie header)");
  });

  it("lists each check with its mark and its word, folds an earlier exercise's checks into one gate line, and sets out the first failure", () => {
    const gate = (id: string, status: CheckResult["status"]) =>
      check(id, status, { exercise: "01-set-datetime-cookie", gate: true, maxPoints: 0, points: 0 });
    const body = gradeBody(
      result([
        gate("01.a", "passed"),
        gate("01.b", "passed"),
        check("02.shows", "failed", { message: MESSAGE, hints: ["one", "two"] }),
        check("02.page", "skipped"),
      ]),
      undefined,
    ).toString();
    expect(body).toContain("01 still holds (its 2 checks, run again; no points here)");
    expect(body).not.toContain("check 01.a");
    expect(body).toMatch(
      /✗<\/span> check 02\.shows <span class="points">\(0\/1\)<\/span> <span class="visually-hidden">failed<\/span>/,
    );
    expect(body).toContain("↓</span> check 02.page");
    expect(body).toContain("First to fix: check 02.shows");
    expect(body).toContain(
      "<dt>Received</dt><dd><pre>200 Content-Type: text/html; charset=utf-8\n(no Set-Cookie header)</pre></dd>",
    );
    expect(body).toContain('href="#hints"');
  });

  it("puts app-loads first, and words an earlier exercise's failed checks as the scoreboard does: a regression, or this exercise's change not made yet", () => {
    const gate = (id: string, status: CheckResult["status"], extra: Partial<CheckResult> = {}) =>
      check(id, status, {
        exercise: "01-set-datetime-cookie",
        gate: true,
        maxPoints: 0,
        points: 0,
        message: MESSAGE,
        ...extra,
      });
    const loads = check("app-loads", "passed", { gate: true, maxPoints: 0 });
    const own = check("02.shows", "passed", { points: 1 });
    const broken = gradeBody(result([gate("01.a", "failed"), loads, own]), undefined).toString();
    expect(broken.indexOf("check app-loads")).toBeLessThan(broken.indexOf("01 no longer holds"));
    expect(broken).not.toContain("still holds");
    expect(broken).toContain(
      "Exercise 01 asked for this, and this exercise's app no longer does it: a change here broke it.",
    );

    const notYet = gradeBody(
      result([loads, gate("01.a", "failed", { changedTerms: "from 02 on, the cookie travels signed." }), own]),
      undefined,
    ).toString();
    expect(notYet).toContain("01 does not hold yet");
    expect(notYet).toContain(
      "it runs again here as a later exercise changed it: from 02 on, the cookie travels signed.",
    );
    expect(notYet).not.toContain("a change here broke it");
  });

  it("shows what an app put in a message as text, never as markup", () => {
    const body = gradeBody(
      result([
        check("02.xss", "failed", {
          message: `Landed: <img src=x onerror=alert(1)>\nExpected: "&lt;"`,
          output: "<script>alert(2)</script>",
        }),
      ]),
      undefined,
    ).toString();
    expect(body).not.toContain("<img");
    expect(body).not.toContain("<script>");
    expect(body).toContain("&lt;img src=x onerror=alert(1)&gt;");
    expect(body).toContain("&amp;lt;");
  });

  it("says grading is under way before the first grade, and names the grader's own failure", () => {
    expect(gradeBody(undefined, undefined).toString()).toContain("Grading…");
    expect(gradeBody(undefined, "the suite does not match its manifest").toString()).toContain(
      "The grader could not run: the suite does not match its manifest",
    );
  });
});
