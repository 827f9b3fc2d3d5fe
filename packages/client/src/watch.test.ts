import http from "node:http";
import type { AddressInfo } from "node:net";
import {
  DataplaneInsightType,
  DataplaneType,
  MeshType,
  TrafficPermissionType,
  parseResource,
  type ResourceType,
  type ResourceOf,
} from "@kuma-ts/model";
import {
  startControlPlane,
  startCuttingProxy,
  startScriptedServer,
  type TestControlPlane,
} from "@kuma-ts/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type KumaClient } from "./client.js";
import { ApiError, InvalidResponseError } from "./errors.js";
import { failure } from "./test-support/failure.js";
import { readWatch } from "./test-support/watch-reader.js";
import type { WatchEvent } from "./watch.js";

let controlPlane: TestControlPlane;
let client: KumaClient;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  client = createClient({ baseUrl: controlPlane.url });
});
afterAll(() => controlPlane.close());

const resource = <T extends ResourceType>(type: T, value: Record<string, unknown>): ResourceOf<T> =>
  parseResource(type, JSON.stringify({ type: type.name, ...value })) as ResourceOf<T>;

const mesh = (name: string) => resource(MeshType, { name });
const permission = (meshName: string, name: string, service = "backend") =>
  resource(TrafficPermissionType, {
    mesh: meshName,
    name,
    sources: [{ match: { service } }],
    destinations: [{ match: { service: "redis" } }],
  });
const dataplane = (meshName: string, name: string, service: string) =>
  resource(DataplaneType, {
    mesh: meshName,
    name,
    networking: {
      address: "127.0.0.1",
      inbound: [{ port: 11011, servicePort: 11012, tags: { service } }],
    },
  });

/** The parts of an event a test compares: no resource bodies, no tokens. */
function brief(event: WatchEvent<{ readonly name: string }>): string {
  switch (event.kind) {
    case "synced":
      return `synced ${event.total}`;
    case "reset":
      return "reset";
    default:
      return `${event.kind} ${event.type} ${event.name}`;
  }
}

/** Calls `done` on the end of the iteration (a watch must end by itself, not hang). */
async function untilEnded(promise: Promise<void>): Promise<void> {
  await promise;
}

describe("watching a collection of the real control plane", () => {
  it("streams a snapshot, synced, then live created, updated and deleted events", async () => {
    const tps = client.resources(TrafficPermissionType);
    await client.resources(MeshType).put(mesh("w-live"));
    await tps.put(permission("w-live", "b"));
    await tps.put(permission("w-live", "a"));
    const abort = new AbortController();
    const events = readWatch(tps.watch({ mesh: "w-live", signal: abort.signal }));
    const start = await events.take(3);
    expect(start.map(brief)).toEqual([
      "snapshot TrafficPermission a",
      "snapshot TrafficPermission b",
      "synced 2",
    ]);
    const snapshot = start[0] as WatchEvent<ResourceOf<typeof TrafficPermissionType>> & {
      kind: "snapshot";
    };
    expect(snapshot.resource.sources?.[0]?.match).toEqual({ service: "backend" });
    expect(snapshot.mesh).toBe("w-live");
    const synced = start[2] as { token: string };
    expect(synced.token).not.toBe("");

    await tps.put(permission("w-live", "c"));
    await tps.put(permission("w-live", "a", "web"));
    await tps.delete({ mesh: "w-live", name: "b" });
    const live = await events.take(3);
    expect(live.map(brief)).toEqual([
      "created TrafficPermission c",
      "updated TrafficPermission a",
      "deleted TrafficPermission b",
    ]);
    const updated = live[1] as {
      resource: ResourceOf<typeof TrafficPermissionType>;
      version: string;
    };
    expect(updated.resource.sources?.[0]?.match).toEqual({ service: "web" });
    expect(updated.version).toBe((await tps.getWithVersion({ mesh: "w-live", name: "a" })).version);
    const tokens = live.map((e) => (e as { token: string }).token);
    expect(new Set([synced.token, ...tokens]).size).toBe(4);
    abort.abort();
    await untilEnded(events.ended);
  });

  it("watches the meshes", async () => {
    const meshes = client.resources(MeshType);
    const abort = new AbortController();
    const events = readWatch(meshes.watch({ signal: abort.signal }));
    const start = await events.until((e) => e.kind === "synced");
    expect(start.map(brief)).toContain("snapshot Mesh default");
    await meshes.put(mesh("w-meshes"));
    expect(brief(await events.next())).toBe("created Mesh w-meshes");
    await meshes.delete({ name: "w-meshes" });
    const deleted = await events.next();
    expect(brief(deleted)).toBe("deleted Mesh w-meshes");
    expect(deleted).not.toHaveProperty("mesh");
    abort.abort();
    await untilEnded(events.ended);
  });

  it("watches dataplane overviews with a tag filter", async () => {
    await client.resources(MeshType).put(mesh("w-overviews"));
    const dataplanes = client.resources(DataplaneType);
    await dataplanes.put(dataplane("w-overviews", "web-1", "web"));
    await dataplanes.put(dataplane("w-overviews", "backend-1", "backend"));
    const abort = new AbortController();
    const events = readWatch(
      client.watchDataplaneOverviews({
        mesh: "w-overviews",
        tags: { service: "backend" },
        signal: abort.signal,
      }),
    );
    const start = await events.take(2);
    expect(start.map(brief)).toEqual(["snapshot DataplaneOverview backend-1", "synced 1"]);
    const overview = (start[0] as { resource: { dataplane: unknown; name: string } }).resource;
    expect(overview.name).toBe("backend-1");
    await dataplanes.put(dataplane("w-overviews", "web-2", "web"));
    await dataplanes.put(dataplane("w-overviews", "backend-2", "backend"));
    await client.resources(DataplaneInsightType).put(
      resource(DataplaneInsightType, {
        mesh: "w-overviews",
        name: "backend-2",
        subscriptions: [],
      }),
    );
    await dataplanes.put(dataplane("w-overviews", "backend-1", "web"));
    const live = await events.take(3);
    expect(live.map(brief)).toEqual([
      "created DataplaneOverview backend-2",
      "updated DataplaneOverview backend-2",
      "deleted DataplaneOverview backend-1",
    ]);
    abort.abort();
    await untilEnded(events.ended);
  });

  it("watches a mesh's events of the named types, each decoded with its own type", async () => {
    await client.resources(MeshType).put(mesh("w-events"));
    const abort = new AbortController();
    const events = readWatch(
      client.watchMeshEvents({
        mesh: "w-events",
        types: [MeshType, TrafficPermissionType],
        signal: abort.signal,
      }),
    );
    expect((await events.take(2)).map(brief)).toEqual(["snapshot Mesh w-events", "synced 1"]);
    await client.resources(DataplaneType).put(dataplane("w-events", "dp-1", "web"));
    await client.resources(TrafficPermissionType).put(permission("w-events", "tp-1"));
    const created = await events.next();
    expect(brief(created)).toBe("created TrafficPermission tp-1");
    const tp = (created as { resource: { type: string; destinations: unknown[] } }).resource;
    expect(tp.type).toBe("TrafficPermission");
    expect(tp.destinations).toHaveLength(1);
    // A mesh delete: every resource it removed, then the Mesh (the Dataplane is not watched).
    await client.resources(MeshType).delete({ name: "w-events" });
    expect((await events.take(2)).map(brief)).toEqual([
      "deleted TrafficPermission tp-1",
      "deleted Mesh w-events",
    ]);
    abort.abort();
    await untilEnded(events.ended);
  });

  it("starts after `since` with no snapshot", async () => {
    const tps = client.resources(TrafficPermissionType);
    await client.resources(MeshType).put(mesh("w-since"));
    await tps.put(permission("w-since", "before"));
    const page = await tps.list({ mesh: "w-since" });
    expect(page.resumeToken).toBeDefined();
    await tps.put(permission("w-since", "after"));
    const abort = new AbortController();
    const events = readWatch(
      tps.watch({ mesh: "w-since", since: page.resumeToken, signal: abort.signal }),
    );
    const first = await events.next();
    expect(brief(first)).toBe("created TrafficPermission after");
    // From an event's token: the events after it only.
    await tps.put(permission("w-since", "later"));
    expect(brief(await events.next())).toBe("created TrafficPermission later");
    abort.abort();
    await untilEnded(events.ended);
    const again = new AbortController();
    const resumed = readWatch(
      tps.watch({
        mesh: "w-since",
        since: (first as { token: string }).token,
        signal: again.signal,
      }),
    );
    expect(brief(await resumed.next())).toBe("created TrafficPermission later");
    again.abort();
    await untilEnded(resumed.ended);
  });

  it("surfaces a reset (a token of another store), then starts over", async () => {
    const other = await startControlPlane();
    try {
      const page = await createClient({ baseUrl: other.url }).resources(MeshType).list();
      const abort = new AbortController();
      const events = readWatch(
        client.resources(MeshType).watch({ since: page.resumeToken, signal: abort.signal }),
      );
      const first = await events.next();
      expect(first.kind).toBe("reset");
      expect((first as { reason: string }).reason).not.toBe("");
      const start = await events.until((e) => e.kind === "synced");
      expect(start.map(brief)).toContain("snapshot Mesh default");
      await client.resources(MeshType).put(mesh("w-reset"));
      expect(brief(await events.next())).toBe("created Mesh w-reset");
      abort.abort();
      await untilEnded(events.ended);
    } finally {
      await other.close();
    }
  });

  it("throws a 400 for a malformed token and a 404 for a path the server does not have", async () => {
    const bad = await failure(
      (async () => {
        for await (const _ of client.resources(MeshType).watch({ since: "not a token" })) break;
      })(),
    );
    expect(bad).toBeInstanceOf(ApiError);
    expect(bad).toMatchObject({
      status: 400,
      causes: [{ field: "since", message: "invalid resume token" }],
    });

    const elsewhere = createClient({ baseUrl: `${controlPlane.url}/no-such-prefix` });
    const missing = await failure(
      (async () => {
        for await (const _ of elsewhere.resources(MeshType).watch()) break;
      })(),
    );
    expect(missing).toBeInstanceOf(ApiError);
    expect(missing).toMatchObject({ status: 404 });
  });
});

describe("resuming", () => {
  it("resumes after the connection is cut, with no gap and no duplicate", async () => {
    const proxy = await startCuttingProxy(controlPlane.url);
    try {
      const tps = client.resources(TrafficPermissionType);
      await client.resources(MeshType).put(mesh("w-cut"));
      await tps.put(permission("w-cut", "a"));
      const abort = new AbortController();
      const events = readWatch(
        createClient({ baseUrl: proxy.url })
          .resources(TrafficPermissionType)
          .watch({ mesh: "w-cut", signal: abort.signal }),
      );
      expect((await events.take(2)).map(brief)).toEqual([
        "snapshot TrafficPermission a",
        "synced 1",
      ]);
      await tps.put(permission("w-cut", "b"));
      expect(brief(await events.next())).toBe("created TrafficPermission b");
      proxy.cut();
      // Written while the watch is cut off (it waits at least the server's `retry` before reopening).
      await tps.put(permission("w-cut", "c"));
      await tps.put(permission("w-cut", "a", "web"));
      await tps.delete({ mesh: "w-cut", name: "b" });
      expect((await events.take(3)).map(brief)).toEqual([
        "created TrafficPermission c",
        "updated TrafficPermission a",
        "deleted TrafficPermission b",
      ]);
      // Once more, while idle: the next live change comes once.
      proxy.cut();
      await tps.put(permission("w-cut", "d"));
      expect(brief(await events.next())).toBe("created TrafficPermission d");
      await tps.put(permission("w-cut", "e"));
      expect(brief(await events.next())).toBe("created TrafficPermission e");
      expect(events.received.map(brief)).toEqual([
        "snapshot TrafficPermission a",
        "synced 1",
        "created TrafficPermission b",
        "created TrafficPermission c",
        "updated TrafficPermission a",
        "deleted TrafficPermission b",
        "created TrafficPermission d",
        "created TrafficPermission e",
      ]);
      abort.abort();
      await untilEnded(events.ended);
    } finally {
      await proxy.close();
    }
  });

  it("resumes with Last-Event-ID after the server ends a stream or answers 503, honouring `retry`", async () => {
    const streams = [
      { status: 503, body: '{"title":"Service Unavailable","details":"Too many watches"}' },
      sse(
        'retry: 50\n\nevent: snapshot\ndata: {"type":"Mesh","name":"m1","version":"1","resource":{"type":"Mesh","name":"m1"}}\n\nid: t1\nevent: synced\ndata: {"total":1}\n\n',
      ),
      { status: 502, body: "bad gateway" },
      sse(
        'id: t2\nevent: created\ndata: {"type":"Mesh","name":"m2","version":"1","resource":{"type":"Mesh","name":"m2"}}\n\n',
      ),
      sse('id: t3\nevent: deleted\ndata: {"type":"Mesh","name":"m2","version":"1"}\n\n'),
    ];
    const server = await startScriptedServer(() => streams.shift() ?? { hang: true });
    let opened = 0;
    try {
      const abort = new AbortController();
      const events = readWatch(
        createClient({ baseUrl: server.url, auth: { type: "tokens", token: "tok" } })
          .resources(MeshType)
          .watch({ signal: abort.signal, onOpen: () => opened++ }),
      );
      expect((await events.take(4)).map(brief)).toEqual([
        "snapshot Mesh m1",
        "synced 1",
        "created Mesh m2",
        "deleted Mesh m2",
      ]);
      expect(events.received[0]).toMatchObject({ kind: "snapshot", token: "" });
      expect(events.received[3]).toMatchObject({ kind: "deleted", token: "t3" });
      expect(server.requests.slice(0, 5).map((r) => [r.url, r.headers["last-event-id"]])).toEqual([
        ["/meshes?watch=true", undefined],
        ["/meshes?watch=true", undefined],
        ["/meshes?watch=true", "t1"],
        ["/meshes?watch=true", "t1"],
        ["/meshes?watch=true", "t2"],
      ]);
      expect(opened).toBe(3); // the three streams, not the failed openings
      for (const request of server.requests) {
        expect(request.headers.accept).toBe("text/event-stream");
        expect(request.headers.authorization).toBe("Bearer tok");
      }
      abort.abort();
      await untilEnded(events.ended);
    } finally {
      await server.close();
    }
  });

  it("starts over with a reset when the connection drops during the snapshot", async () => {
    const streams = [
      sse(
        'event: snapshot\ndata: {"type":"Mesh","name":"gone","version":"1","resource":{"type":"Mesh","name":"gone"}}\n\n',
      ),
      sse(
        'retry: 10\n\nevent: snapshot\ndata: {"type":"Mesh","name":"m1","version":"1","resource":{"type":"Mesh","name":"m1"}}\n\nid: t1\nevent: synced\ndata: {"total":1}\n\n',
      ),
    ];
    const server = await startScriptedServer(() => streams.shift() ?? { hang: true });
    try {
      const abort = new AbortController();
      const events = readWatch(
        createClient({ baseUrl: server.url }).resources(MeshType).watch({ signal: abort.signal }),
      );
      expect((await events.take(4)).map(brief)).toEqual([
        "snapshot Mesh gone",
        "reset",
        "snapshot Mesh m1",
        "synced 1",
      ]);
      abort.abort();
      await untilEnded(events.ended);
    } finally {
      await server.close();
    }
  });

  it("reopens a connection that stays silent past the idle timeout", async () => {
    let opened = 0;
    const server = await startStreamingServer((_req, res) => {
      opened++;
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write("retry: 10\n\n");
      if (opened === 2) res.write('id: t1\nevent: synced\ndata: {"total":0}\n\n');
      // then silence: no heartbeat
    });
    try {
      const abort = new AbortController();
      const events = readWatch(
        createClient({ baseUrl: server.url })
          .resources(MeshType)
          .watch({ signal: abort.signal, idleTimeoutMs: 300 }),
      );
      expect(brief(await events.next())).toBe("synced 0");
      expect(opened).toBe(2);
      abort.abort();
      await untilEnded(events.ended);
    } finally {
      await server.close();
    }
  });
});

it("asks for a mesh's events with its types, overviews with their tags", async () => {
  const server = await startScriptedServer(() =>
    sse('id: t1\nevent: synced\ndata: {"total":0}\n\n'),
  );
  try {
    const scripted = createClient({ baseUrl: server.url });
    for await (const event of scripted.watchMeshEvents({
      mesh: "m 1",
      types: [DataplaneType, TrafficPermissionType],
    }))
      if (event.kind === "synced") break;
    for await (const event of scripted.watchDataplaneOverviews({
      mesh: "m",
      tags: { service: "web", env: "*" },
    }))
      if (event.kind === "synced") break;
    expect(server.requests.map((r) => decodeURIComponent(r.url))).toEqual([
      "/meshes/m 1/events?type=Dataplane&type=TrafficPermission",
      "/meshes/m/dataplanes+insights?tag=service:web&tag=env:*&watch=true",
    ]);
  } finally {
    await server.close();
  }
});

describe("failures at open and in the stream", () => {
  it("throws a 4xx at once, without retrying", async () => {
    for (const status of [400, 401, 403, 404, 406]) {
      const server = await startScriptedServer(() => ({
        status,
        body: JSON.stringify({ title: "No", details: "refused" }),
      }));
      try {
        const error = await failure(
          (async () => {
            for await (const _ of createClient({ baseUrl: server.url }).resources(MeshType).watch())
              break;
          })(),
        );
        expect(error).toBeInstanceOf(ApiError);
        expect(error).toMatchObject({ status, title: "No", details: "refused" });
        expect(server.requests).toHaveLength(1);
      } finally {
        await server.close();
      }
    }
  });

  it("throws what `retryOpen` declines to retry", async () => {
    const server = await startScriptedServer(() => ({
      status: 503,
      body: JSON.stringify({ title: "Service Unavailable", details: "Too many watches" }),
    }));
    try {
      const error = await failure(
        (async () => {
          for await (const _ of createClient({ baseUrl: server.url })
            .resources(MeshType)
            .watch({ retryOpen: (e) => !(e instanceof ApiError && e.status === 503) }))
            break;
        })(),
      );
      expect(error).toMatchObject({ status: 503, details: "Too many watches" });
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("throws an InvalidResponseError for an answer that is not a stream or a malformed event", async () => {
    for (const answer of [
      { status: 200, body: '{"items":[],"total":0}' },
      sse('retry: 10\n\nid: t1\nevent: created\ndata: {"type":"Mesh","name":"m1"\n\n'),
      sse(
        'id: t1\nevent: created\ndata: {"type":"Mesh","name":"m1","version":"1","resource":{"type":"Mesh","name":"m1","mtls":7}}\n\n',
      ),
      sse('event: synced\ndata: {"total":1}\n\n'),
    ]) {
      const server = await startScriptedServer(() => answer);
      try {
        const error = await failure(
          (async () => {
            for await (const _ of createClient({ baseUrl: server.url })
              .resources(MeshType)
              .watch());
          })(),
        );
        expect(error, answer.body).toBeInstanceOf(InvalidResponseError);
        expect(server.requests).toHaveLength(1);
      } finally {
        await server.close();
      }
    }
  });
});

describe("ending a watch", () => {
  it("ends quietly and closes the connection on abort while streaming, and when the loop is left", async () => {
    const proxy = await startCuttingProxy(controlPlane.url);
    try {
      const watching = createClient({ baseUrl: proxy.url });
      const abort = new AbortController();
      const events = readWatch(watching.resources(MeshType).watch({ signal: abort.signal }));
      await events.until((e) => e.kind === "synced");
      expect(proxy.openConnections()).toBe(1);
      abort.abort();
      await untilEnded(events.ended);
      await proxy.idle();

      for await (const event of watching.resources(MeshType).watch()) {
        if (event.kind === "synced") break;
      }
      await proxy.idle();
      expect(proxy.openConnections()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it("ends at once on abort while waiting to reconnect", async () => {
    // The server asks for a minute between reconnections; the abort must not wait for it.
    const server = await startScriptedServer(() =>
      sse('retry: 60000\n\nid: t1\nevent: synced\ndata: {"total":0}\n\n'),
    );
    try {
      const abort = new AbortController();
      const events = readWatch(
        createClient({ baseUrl: server.url }).resources(MeshType).watch({ signal: abort.signal }),
      );
      await events.next();
      abort.abort();
      await untilEnded(events.ended);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("does not even connect when the signal is already aborted", async () => {
    const server = await startScriptedServer(() => ({ hang: true }));
    try {
      const events = readWatch(
        createClient({ baseUrl: server.url })
          .resources(MeshType)
          .watch({ signal: AbortSignal.abort() }),
      );
      await untilEnded(events.ended);
      expect(events.received).toEqual([]);
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it("ends at once on abort while the stream is being opened", async () => {
    const server = await startScriptedServer(() => ({ hang: true }));
    try {
      const abort = new AbortController();
      const events = readWatch(
        createClient({ baseUrl: server.url }).resources(MeshType).watch({ signal: abort.signal }),
      );
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      abort.abort();
      await untilEnded(events.ended);
    } finally {
      await server.close();
    }
  });
});

/** A scripted answer that is a complete event stream (the server ends it after `body`). */
function sse(body: string) {
  return { status: 200, body, headers: { "Content-Type": "text/event-stream" } };
}

/** A server whose handler writes streams and leaves them open. */
async function startStreamingServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
