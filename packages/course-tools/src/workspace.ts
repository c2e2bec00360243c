// The workspace's apps are listed by the grader, which course-tools depends on (never the other way round).
export * from "@cookie-course/grader/workspace";
