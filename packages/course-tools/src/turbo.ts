// turbo without telemetry is started by the grader's `pnpm test` too: it lives there, and course-tools uses it.
export * from "@cookie-course/grader/turbo";
