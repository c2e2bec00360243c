import { describe, expect, it } from "vitest";
import { workspaceRoot } from "@cookie-course/grader/workspace";
import { AppRunner, runningApps } from "../src/app-runner.js";
import { readCourse } from "../src/course.js";

describe("the app runner", () => {
  it("runs one app at a time however fast pages are opened, serves the last one opened, and leaves none behind", async () => {
    const [first, second, third] = readCourse(workspaceRoot).exercises;
    const runner = new AppRunner();
    // Three pages opened at once: each switch waits for the one before.
    void runner.use(first!);
    void runner.use(second!);
    await runner.use(third!);
    expect(runningApps()).toBe(1);
    expect(runner.status.exercise).toBe(third!.app.slug);
    const address = await runner.address(60_000);
    expect(address?.hostname).toBe("127.0.0.1");
    const page = await fetch(new URL("/", address));
    expect(page.status).toBe(200);
    expect(runner.status.state).toBe("running");
    await runner.stop();
    expect(runningApps()).toBe(0);
    expect(await runner.address(100)).toBeUndefined();
  });
});
