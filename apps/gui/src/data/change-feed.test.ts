import {
  ApiError,
  InvalidResponseError,
  NetworkError,
  type KumaClient,
  type WatchEvent,
  type WatchOptions,
} from "@kuma-ts/client";
import { describe, expect, it } from "vitest";
import { createClientChangeFeed, FeedRefused, type ChangeEvent } from "./change-feed.js";

/** A client whose watches play `script` (events, or an error thrown at that point) and record how they were called. */
function scriptedClient(script: (options: WatchOptions) => AsyncIterable<WatchEvent<unknown>>) {
  const calls: { method: string; args: Record<string, unknown> }[] = [];
  const watch =
    (method: string) =>
    (args: Record<string, unknown> = {}) => {
      calls.push({ method, args });
      return script(args as WatchOptions);
    };
  const client = {
    resources: (type: { name: string }) => ({ watch: watch(`resources(${type.name}).watch`) }),
    watchDataplaneOverviews: watch("watchDataplaneOverviews"),
    watchMeshEvents: watch("watchMeshEvents"),
  } as unknown as KumaClient;
  return { client, calls };
}

async function collect(events: AsyncIterable<ChangeEvent>): Promise<ChangeEvent[]> {
  const out: ChangeEvent[] = [];
  for await (const event of events) out.push(event);
  return out;
}

const meshEvent = (kind: "snapshot" | "created", name: string): WatchEvent<unknown> => ({
  kind,
  type: "Mesh",
  name,
  version: "1",
  resource: { type: "Mesh", name },
  token: kind === "snapshot" ? "" : `t-${name}`,
});

describe("the client's change feed", () => {
  it("passes the changes on; from a resume token there is nothing to re-read", async () => {
    const { client, calls } = scriptedClient(async function* () {
      yield meshEvent("created", "a");
      yield { kind: "deleted", type: "Mesh", name: "a", version: "2", token: "t2" };
    });
    const signal = new AbortController().signal;
    const events = await collect(
      createClientChangeFeed(client).watch({ kind: "meshes" }, "t0", signal),
    );
    expect(events.map((e) => e.kind)).toEqual(["created", "deleted"]);
    expect(calls).toMatchObject([
      { method: "resources(Mesh).watch", args: { since: "t0", signal } },
    ]);
  });

  it("skips a snapshot and asks the page to re-read once it is synced (no resume token, or after a reset)", async () => {
    const { client } = scriptedClient(async function* () {
      yield meshEvent("snapshot", "a");
      yield { kind: "synced", total: 1, token: "t1" };
      yield meshEvent("created", "b");
      yield { kind: "reset", reason: "too old" };
      yield meshEvent("snapshot", "b");
      yield { kind: "synced", total: 1, token: "t3" };
    });
    const events = await collect(
      createClientChangeFeed(client).watch(
        { kind: "meshes" },
        undefined,
        new AbortController().signal,
      ),
    );
    expect(events.map((e) => e.kind)).toEqual(["reset", "created", "reset"]);
  });

  it("watches overviews with their tags and a mesh's events of the named types", async () => {
    const { client, calls } = scriptedClient(async function* () {});
    const feed = createClientChangeFeed(client);
    const signal = new AbortController().signal;
    await collect(
      feed.watch({ kind: "overviews", mesh: "m", tags: { service: "web" } }, "t", signal),
    );
    await collect(
      feed.watch({ kind: "mesh-events", mesh: "m", types: ["TrafficRoute", "Mesh"] }, "t", signal),
    );
    expect(calls[0]).toMatchObject({
      method: "watchDataplaneOverviews",
      args: { mesh: "m", tags: { service: "web" } },
    });
    expect(calls[1]?.method).toBe("watchMeshEvents");
    expect((calls[1]?.args.types as { name: string }[]).map((t) => t.name)).toEqual([
      "TrafficRoute",
      "Mesh",
    ]);
    await expect(
      collect(feed.watch({ kind: "mesh-events", mesh: "m", types: ["Nope"] }, "t", signal)),
    ).rejects.toBeInstanceOf(FeedRefused);
  });

  it("retries a lost API and reports it, refuses a 503, another 4xx or a server without the feed", async () => {
    const reported: unknown[] = [];
    let options: WatchOptions | undefined;
    const { client } = scriptedClient((given) => {
      options = given;
      return (async function* () {})();
    });
    const feed = createClientChangeFeed(client, { onOpen: (error) => reported.push(error) });
    let opened = 0;
    await collect(
      feed.watch({ kind: "meshes" }, "t", new AbortController().signal, () => opened++),
    );
    const retryOpen = options!.retryOpen!;
    const api = (status: number) => new ApiError("GET", "/meshes", status, "T", "D", [], "");
    const network = new NetworkError("GET", "/meshes", "connect ECONNREFUSED", false, undefined);
    expect(retryOpen(network)).toBe(true);
    expect(retryOpen(api(502))).toBe(true);
    expect(retryOpen(api(500))).toBe(true);
    expect(retryOpen(api(503))).toBe(false);
    expect(retryOpen(api(404))).toBe(false);
    expect(reported).toEqual(
      [network, api(502), api(500)].map((e) => expect.objectContaining({ message: e.message })),
    );
    options!.onOpen!();
    expect(reported.at(-1)).toBeUndefined();
    expect(opened).toBe(1);

    for (const error of [
      api(503),
      api(403),
      new InvalidResponseError("GET", "/meshes", 200, [
        { field: "", message: "not an event stream" },
      ]),
    ]) {
      // eslint-disable-next-line require-yield -- refused at open, before any event
      const refusing = scriptedClient(async function* () {
        throw error;
      });
      await expect(
        collect(
          createClientChangeFeed(refusing.client).watch(
            { kind: "meshes" },
            "t",
            new AbortController().signal,
          ),
        ),
      ).rejects.toBeInstanceOf(FeedRefused);
    }
  });
});
