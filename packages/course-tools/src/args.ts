// The strict argument parsing lives in the grader, which course-tools depends on (never the other way round).
export * from "@cookie-course/grader/args";
