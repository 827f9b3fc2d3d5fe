import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SortedNames } from "./sorted-names.js";

const name = fc.stringMatching(/^[0-9a-z_-]{1,6}$/);

describe("SortedNames", () => {
  it("keeps names sorted and pages after any name like a sorted array would", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), name), { maxLength: 3000 }),
        fc.option(name, { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 700 }), { nil: undefined }),
        (operations, after, limit) => {
          const names = new SortedNames();
          const model = new Set<string>();
          for (const [add, n] of operations) {
            if (add && !model.has(n)) {
              names.insert(n);
              model.add(n);
            } else if (!add) {
              expect(names.remove(n)).toBe(model.delete(n));
            }
          }
          const sorted = [...model].sort();
          expect([...names]).toEqual(sorted);
          expect(names.size).toBe(sorted.length);
          const rest = after === undefined ? sorted : sorted.filter((n) => n > after);
          const page = names.page(after, limit);
          expect(page.names).toEqual(rest.slice(0, limit ?? rest.length));
          expect(page.more).toBe(limit !== undefined && rest.length > limit);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("pages through 100,000 names from any starting name", () => {
    const names = new SortedNames();
    for (let i = 0; i < 100_000; i++) names.insert(`dp-${(i * 7919) % 100_000}`);
    expect(names.size).toBe(100_000);
    const page = names.page("dp-5", 100);
    expect(page.names[0]).toBe("dp-50");
    expect(page.names).toHaveLength(100);
    expect(page.more).toBe(true);
    expect(names.page("dp-99999", 100)).toEqual({ names: [], more: false });
  });
});
