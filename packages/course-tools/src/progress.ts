// The learner's progress is written by the grader's `pnpm test`, and read and added to by `pnpm hint` here.
export * from "@cookie-course/grader/progress";
