import { describe, expect, it } from "vitest";
import { renderTags } from "./tags.js";

describe("renderTags", () => {
  it("merges the values of every inbound per key, sorted and de-duplicated", () => {
    expect(
      renderTags({
        networking: {
          inbound: [
            { tags: { service: "mobile", version: "v1" } },
            { tags: { service: "metrics", version: "v1" } },
          ],
        },
      }),
    ).toBe("service=metrics,mobile version=v1");
  });

  it("includes the gateway's tags and sorts the key=value strings as whole strings", () => {
    expect(
      renderTags({ networking: { gateway: { tags: { service: "edge", "a-b": "2", a: "1" } } } }),
    ).toBe("a-b=2 a=1 service=edge");
  });

  it("sorts in byte order and is empty without tags", () => {
    expect(
      renderTags({
        networking: { inbound: [{ tags: { k: "b" } }, { tags: { k: "B" } }, { tags: { k: "é" } }] },
      }),
    ).toBe("k=B,b,é");
    expect(renderTags({})).toBe("");
  });
});
