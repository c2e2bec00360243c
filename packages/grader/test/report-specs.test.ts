import { readFileSync } from "node:fs";
import { Ajv, type ValidateFunction } from "ajv";
import MarkdownIt from "markdown-it";
import { parse, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { validateXML } from "xmllint-wasm";
import { ANNOTATION_MESSAGE_LIMIT, MAX_ERROR_ANNOTATIONS, githubAnnotations } from "../src/formats/annotations.js";
import { EXERCISM_MESSAGE_LIMIT, toExercism } from "../src/formats/exercism.js";
import { gradeReport, toJson } from "../src/formats/grade-report.js";
import { toGradescope } from "../src/formats/gradescope.js";
import { toJunit } from "../src/formats/junit.js";
import { SUMMARY_LIMIT_BYTES, toMarkdown } from "../src/formats/markdown.js";
import { exerciseResult, type CheckResult } from "../src/results.js";

/**
 * Every report, fed what a hostile app can make the grader write (its errors, its pages, what it prints), must
 * still be a valid file of its format: checked against the format's own schema or spec, with real parsers.
 */

const COOKIE = "🍪";
/** What an app can put in a message or its output, each piece aimed at one way out of its place. */
const HOSTILE = [
  "```\n````\n~~~\n</details>\n</pre></code>",
  "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>",
  "\u001b[31mred\u001b[0m\u001b]0;title\u0007 NUL:\u0000 BEL:\u0007 BS:\u0008 VT:\u000b FF:\u000c US:\u001f DEL:\u007f NEL:\u0085",
  "lone high \uD83C, lone low \uDC00, a pair 🍪",
  "]]> &amp; &#0; <!-- --> <?xml version='1.0'?> <![CDATA[x]]>",
  "%0A::set-output name=x::y\n::error::injected\r\n::add-mask::secret\r::warning::carriage",
  "\u202Ereversed\u202C \u2066isolate\u2069 \uFFFE\uFFFF",
  "| a | table | row |\n# heading\n- [link](javascript:alert(1))",
].join("\n");
/** Lengths that put an emoji across each cut the formats make, and 100 kB besides. */
const CUT_POINTS = [500, 1_000, 2_048, 4_096, 16 * 1024, 64 * 1024, EXERCISM_MESSAGE_LIMIT, 100_000];
const emojiAcross = (units: number) => `${"a".repeat(units - 1)}${COOKIE.repeat(8)}`;
const messages = [HOSTILE, ...CUT_POINTS.map(emojiAcross), `${HOSTILE}\n${"x".repeat(100_000)}`, COOKIE.repeat(50_000)];

const exercise = "02-read-last-visit";
const checks: CheckResult[] = [
  {
    id: "app-loads",
    name: "src/app.ts loads",
    exercise,
    status: "passed",
    points: 0,
    maxPoints: 0,
    gate: true,
    output: HOSTILE,
  } as CheckResult,
  {
    id: "01.http-only",
    name: "Marks the cookie HttpOnly",
    exercise: "01-set-datetime-cookie",
    status: "failed",
    points: 0,
    maxPoints: 0,
    gate: true,
    message: HOSTILE,
  } as CheckResult,
  ...messages.map(
    (message, index): CheckResult =>
      ({
        id: `02.hostile-${index}`,
        name: `Survives hostile text ${index}`,
        exercise,
        status: "failed",
        points: 0,
        maxPoints: 2,
        visibility: index % 2 === 0 ? "visible" : "hidden",
        message,
        output: messages[(index + 1) % messages.length],
        durationMs: 12.5,
      }) as CheckResult,
  ),
  { id: "02.after", name: "After a visit", exercise, status: "skipped", points: 0, maxPoints: 1, message: HOSTILE },
  { id: "02.passes", name: "Passes", exercise, status: "passed", points: 3, maxPoints: 3, output: emojiAcross(2_048) },
];
const environment = {
  node: "v20.20.2",
  platform: "linux",
  arch: "x64",
  pnpm: "12.4.2",
  lockfileSha256: "ab".repeat(32),
  grader: { name: "@cookie-course/grader", version: "0.1.0" },
};
const report = gradeReport(
  "/class/mallory",
  [
    exerciseResult(
      "01-set-datetime-cookie",
      [
        {
          id: "app-loads",
          name: "src/app.ts loads",
          exercise: "01-set-datetime-cookie",
          status: "passed",
          points: 1,
          maxPoints: 1,
        },
      ],
      40,
    ),
    exerciseResult(exercise, checks, 900),
    exerciseResult(
      "03-logout",
      [
        {
          id: "app-loads",
          name: "src/app.ts loads",
          exercise: "03-logout",
          status: "failed",
          points: 0,
          maxPoints: 1,
          message: HOSTILE,
        },
      ],
      60_000,
      { error: `The app stopped answering: ${HOSTILE}` },
    ),
  ],
  new Date("2026-11-25T10:00:00Z"),
  61_234,
  environment,
);

const schema = (name: string) =>
  JSON.parse(readFileSync(new URL(`schemas/${name}`, import.meta.url), "utf8")) as object;
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const expectValid = (validate: ValidateFunction, value: unknown) => {
  validate(value);
  expect(validate.errors ?? []).toEqual([]);
};

/** Every string in a parsed JSON value: all must be well-formed (no lone surrogates) for strict parsers. */
function strings(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}
const LONE_SURROGATE_ESCAPE =
  /\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}/;
function expectStrictJson(text: string): unknown {
  expect(text.isWellFormed()).toBe(true);
  expect(text).not.toMatch(LONE_SURROGATE_ESCAPE);
  const value: unknown = JSON.parse(text);
  for (const string of strings(value)) expect(string.isWellFormed()).toBe(true);
  return value;
}

describe("reports fed hostile learner text", () => {
  it("the JSON report is strict JSON: no lone surrogate, escaped or not", () => {
    const value = expectStrictJson(toJson(report)) as { totals: unknown };
    expect(value.totals).toEqual(report.totals);
  });

  it("Exercism's results.json follows the v3 interface: messages within 65535 bytes, output within 500 characters", () => {
    const value = expectStrictJson(toExercism(report)) as {
      status: string;
      tests: { message?: string; output?: string }[];
    };
    expectValid(ajv.compile(schema("exercism-results-v3.schema.json")), value);
    expect(value.status).toBe("fail");
    for (const test of value.tests) {
      expect(Buffer.byteLength(test.message ?? "", "utf8")).toBeLessThanOrEqual(EXERCISM_MESSAGE_LIMIT);
      expect(Array.from(test.output ?? "").length).toBeLessThanOrEqual(500);
      // eslint-disable-next-line no-control-regex
      expect(`${test.message ?? ""}${test.output ?? ""}`).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F]/);
    }
  });

  it("Exercism's error file, when no app loaded, follows the interface too", () => {
    const broken = gradeReport("/class/mallory", [report.exercises[2]!], new Date(0), 5, environment);
    const value = expectStrictJson(toExercism(broken)) as { status: string; message: string };
    expectValid(ajv.compile(schema("exercism-results-v3.schema.json")), value);
    expect(value.status).toBe("error");
    expect(Buffer.byteLength(value.message, "utf8")).toBeLessThanOrEqual(EXERCISM_MESSAGE_LIMIT);
  });

  it("Gradescope's results.json has only the spec's fields, plain text, and tests that add up to the total", () => {
    const value = expectStrictJson(toGradescope(report)) as {
      score: number;
      tests: { score: number; max_score: number }[];
    };
    expectValid(ajv.compile(schema("gradescope-results.schema.json")), value);
    expect(value.score).toBe(report.totals.score);
    expect(value.tests.reduce((sum, test) => sum + test.score, 0)).toBe(report.totals.score);
    expect(value.tests.reduce((sum, test) => sum + test.max_score, 0)).toBe(report.totals.maxScore);
  });

  it("JUnit is well-formed XML, valid against junit-10.xsd", async () => {
    const xml = toJunit(report);
    const result = await validateXML({
      xml: [{ fileName: "junit.xml", contents: xml }],
      schema: [
        { fileName: "junit-10.xsd", contents: readFileSync(new URL("schemas/junit-10.xsd", import.meta.url), "utf8") },
      ],
      maxMemoryPages: 16 * 1024,
    });
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("the Markdown summary keeps each message inside its code block, in its fold, and stays under 1 MiB", () => {
    const markdown = toMarkdown(report);
    expect(Buffer.byteLength(markdown, "utf8")).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    // Rendered as GitHub does (CommonMark, raw HTML allowed), then read as a browser reads the HTML.
    const html = new MarkdownIt({ html: true }).render(markdown);
    const document = parse(html);
    const elements = descendants(document);
    expect(elements.filter((node) => ["script", "img", "h1"].includes(node.nodeName))).toEqual([]);
    const folds = elements.filter((node) => node.nodeName === "details");
    const failures =
      report.exercises.flatMap((result) => result.checks).filter((check) => check.status === "failed").length + 1;
    expect(folds).toHaveLength(failures);
    for (const fold of folds) {
      const blocks = descendants(fold).filter((node) => node.nodeName === "pre");
      expect(blocks).toHaveLength(1);
      // All the text of the fold, but its summary, is the code block's.
      const text = textOf(fold).replace("What happened", "").trim();
      expect(text).toBe(textOf(blocks[0]!).trim());
    }
    const hostile = folds.map(textOf).find((text) => text.includes("alert(document.cookie)"));
    expect(hostile).toContain("</details>");
    expect(hostile).toContain("\\u0000");
  });

  it("GitHub annotations: at most ten errors, each a single command line with its message within 4096 characters", () => {
    const text = githubAnnotations(report);
    const lines = text.trimEnd().split("\n");
    const errors = lines.filter((line) => line.startsWith("::error "));
    expect(errors).toHaveLength(MAX_ERROR_ANNOTATIONS);
    expect(lines.filter((line) => line.startsWith("::notice "))).toHaveLength(1);
    for (const line of lines) {
      // The workflow-commands grammar: ::name key=value,key=value::message, with no raw line break anywhere.
      const command = /^::(error|notice) ((?:[a-z]+=[^,:\r\n]*)(?:,[a-z]+=[^,:\r\n]*)*)::([^\r\n]*)$/.exec(line);
      expect(command, line.slice(0, 200)).not.toBeNull();
      const message = unescapeData(command![3]!);
      expect(message.length).toBeLessThanOrEqual(ANNOTATION_MESSAGE_LIMIT);
      expect(message.isWellFormed()).toBe(true);
    }
    expect(text).not.toMatch(/\n::(?:set-output|add-mask|warning)/);
  });
});

/** actions/runner's reading of a command's message. */
function unescapeData(text: string): string {
  return text.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

type Node = DefaultTreeAdapterMap["node"];
function descendants(node: Node): Node[] {
  const children = "childNodes" in node ? node.childNodes : [];
  return children.flatMap((child) => [child, ...descendants(child)]);
}
function textOf(node: Node): string {
  if (node.nodeName === "#text") return (node as DefaultTreeAdapterMap["textNode"]).value;
  return ("childNodes" in node ? node.childNodes : []).map(textOf).join("");
}
