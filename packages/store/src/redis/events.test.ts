import { describe, expect, it } from "vitest";
import { parseChangeEvent } from "./events.js";

describe("reading published change events", () => {
  it("reads what the scripts publish", () => {
    expect(
      parseChangeEvent(
        '{"kind":"updated","type":"Dataplane","mesh":"default","name":"dp-1","version":"17"}',
      ),
    ).toEqual({ kind: "updated", type: "Dataplane", mesh: "default", name: "dp-1", version: "17" });
  });

  it("ignores messages our scripts would not publish", () => {
    for (const message of [
      "",
      "not json",
      "[]",
      "null",
      '{"kind":"renamed","type":"Dataplane","mesh":"m","name":"n","version":"1"}',
      '{"kind":"created","type":"Unknown","mesh":"m","name":"n","version":"1"}',
      '{"kind":"created","type":"Mesh","mesh":"M!","name":"n","version":"1"}',
      '{"kind":"created","type":"Mesh","mesh":"m","name":"n"}',
    ]) {
      expect(parseChangeEvent(message), message).toBeUndefined();
    }
  });
});
