import { describe, expect, it } from "vitest";
import { runOrder, type Check, type CheckGroup } from "../src/harness/check.js";

const check = (id: string, requires: string[] = []): Check => ({
  id,
  name: id,
  points: 1,
  requires,
  run: async () => {},
});
const groups: CheckGroup[] = [
  { exercise: "01-a", checks: [check("01.a"), check("01.b", ["01.a"]), check("01.c"), check("01.d")] },
  { exercise: "02-b", checks: [check("02.a", ["01.d"]), check("02.b"), check("02.c", ["02.a"])] },
];

describe("runOrder", () => {
  it("runs app-loads first and each check after those it requires, in an order drawn each run", () => {
    const orders = new Set<string>();
    for (let run = 0; run < 40; run++) {
      const ids = runOrder("02-b", groups).map(({ check }) => check.id);
      expect(ids[0]).toBe("app-loads");
      expect(ids.indexOf("01.b")).toBeGreaterThan(ids.indexOf("01.a"));
      expect(ids.indexOf("02.a")).toBeGreaterThan(ids.indexOf("01.d"));
      expect(ids.indexOf("02.c")).toBeGreaterThan(ids.indexOf("02.a"));
      orders.add(ids.join(" "));
    }
    // 7 checks with three constraints have hundreds of orders: 40 draws that all agree would mean no drawing.
    expect(orders.size).toBeGreaterThan(10);
  });
});
