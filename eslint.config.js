import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    // Grader fixtures are learners' submissions, some broken on purpose (a syntax error, an infinite loop).
    ignores: [
      "**/dist/",
      "**/coverage/",
      "**/reports/",
      "**/node_modules/",
      "**/.turbo/",
      "**/.staging/",
      "packages/grader/test/fixtures/",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: globals.node },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // The workbook's one script runs in the browser.
    files: ["packages/workbook/static/**/*.js"],
    languageOptions: { globals: globals.browser },
  },
  {
    // Starters import the helpers a learner will need before the learner uses them: the unused
    // import points the way, so it must not fail the lint of an untouched starter.
    files: ["exercises/**"],
    rules: { "@typescript-eslint/no-unused-vars": "off" },
  },
);
