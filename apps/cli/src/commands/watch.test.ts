/**
 * How watch events become kubectl's ADDED/MODIFIED/DELETED rows, for what a
 * real server rarely does on demand (a `reset` and the snapshot again, an
 * event repeated); the end-to-end runs are in get-watch.test.ts.
 */
import type { WatchEvent } from "@kuma-ts/client";
import { describe, expect, it } from "vitest";
import type { OutputFormat } from "../output/printers.js";
import type { ItemView } from "./print.js";
import { WatchChanges, watchPrinter } from "./watch.js";

interface Item {
  readonly name: string;
  readonly tags: string;
}

const view: ItemView<Item> = {
  headers: ["MESH", "NAME", "TAGS"],
  row: (item) => ["default", item.name, item.tags],
  wire: (item) => ({ type: "Dataplane", mesh: "default", name: item.name, tags: item.tags }),
};

let token = 0;
const put = (
  kind: "snapshot" | "created" | "updated",
  name: string,
  version: string,
  tags = "",
): WatchEvent<Item> => ({
  kind,
  type: "Dataplane",
  mesh: "default",
  name,
  version,
  resource: { name, tags },
  token: String(++token),
});
const deleted = (name: string): WatchEvent<Item> => ({
  kind: "deleted",
  type: "Dataplane",
  mesh: "default",
  name,
  version: "9",
  token: String(++token),
});
const table = (events: readonly WatchEvent<Item>[], end = true) => printed("table", events, end);
const synced = (total: number): WatchEvent<Item> => ({ kind: "synced", total, token: "t" });

/** What the printer of `format` writes for these events (and at the end, unless `end` is false). */
async function printed(
  format: OutputFormat,
  events: readonly WatchEvent<Item>[],
  end = true,
): Promise<string> {
  let out = "";
  const printer = watchPrinter({ out: (text) => (out += text) }, format, view);
  const changes = new WatchChanges<Item>();
  for (const event of events) {
    await printer.print(changes.accept(event));
    if (event.kind === "synced") printer.synced();
  }
  if (end) printer.end(false);
  return out;
}

describe("a watch's table", () => {
  it("holds the snapshot until synced, then aligns every later row to it", async () => {
    expect(
      await table([
        put("snapshot", "a", "1", "service=web"),
        put("snapshot", "bb", "1", "service=db"),
        synced(2),
        put("created", "c", "1", "service=x"),
        put("updated", "a", "2", "service=web version=2"),
        put("created", "a-much-longer-name", "1"),
        deleted("bb"),
        deleted("never-seen"),
      ]),
    ).toBe(
      "EVENT      MESH      NAME   TAGS\n" +
        "ADDED      default   a      service=web\n" +
        "ADDED      default   bb     service=db\n" +
        "ADDED      default   c      service=x\n" +
        "MODIFIED   default   a      service=web version=2\n" +
        "ADDED      default   a-much-longer-name   \n" +
        "DELETED    default   bb     service=db\n" +
        "DELETED    default   never-seen   \n",
    );
  });

  it("prints the header of an empty snapshot, and what was held when it ends before synced", async () => {
    expect(await table([synced(0)])).toBe("EVENT      MESH   NAME   TAGS\n");
    expect(await table([put("snapshot", "a", "1")], false)).toBe("");
    expect(await table([put("snapshot", "a", "1")])).toBe(
      "EVENT      MESH      NAME   TAGS\nADDED      default   a      \n",
    );
  });

  it("after a reset prints only what differs from what was printed", async () => {
    expect(
      await table([
        put("snapshot", "a", "1"),
        put("snapshot", "b", "1"),
        put("snapshot", "c", "1"),
        synced(3),
        { kind: "reset", reason: "too old" },
        put("snapshot", "a", "1"),
        put("snapshot", "c", "5", "new=tag"),
        put("snapshot", "d", "1"),
        synced(3),
        put("updated", "d", "1"),
      ]),
    ).toBe(
      "EVENT      MESH      NAME   TAGS\n" +
        "ADDED      default   a      \n" +
        "ADDED      default   b      \n" +
        "ADDED      default   c      \n" +
        "MODIFIED   default   c      new=tag\n" +
        "ADDED      default   d      \n" +
        "DELETED    default   b      \n",
    );
  });
});

describe("a watch's JSON and YAML", () => {
  const events = [put("snapshot", "a", "1", "t=1"), synced(1), deleted("a"), deleted("gone")];

  it("prints one JSON event per line", async () => {
    expect(await printed("json", events)).toBe(
      '{"type":"ADDED","object":{"type":"Dataplane","mesh":"default","name":"a","tags":"t=1"}}\n' +
        '{"type":"DELETED","object":{"type":"Dataplane","mesh":"default","name":"a","tags":"t=1"}}\n' +
        '{"type":"DELETED","object":{"type":"Dataplane","mesh":"default","name":"gone"}}\n',
    );
  });

  it("prints one YAML document per event", async () => {
    expect(await printed("yaml", events)).toBe(
      "object:\n  mesh: default\n  name: a\n  tags: t=1\n  type: Dataplane\ntype: ADDED\n" +
        "---\nobject:\n  mesh: default\n  name: a\n  tags: t=1\n  type: Dataplane\ntype: DELETED\n" +
        "---\nobject:\n  mesh: default\n  name: gone\n  type: Dataplane\ntype: DELETED\n",
    );
  });
});
