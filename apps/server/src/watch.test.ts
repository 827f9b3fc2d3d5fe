/**
 * Watches over Server-Sent Events (watch.md), black-box through real HTTP,
 * on the memory store and on a real Redis: one `describe` per section.
 */
import net from "node:net";
import { meshScopedTypes } from "@kuma-ts/model";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./server/start-server.js";
import { startApi, testConfig, type TestApi } from "./test-support/api.js";
import { openEventStream, type EventStream, type StreamEvent } from "./test-support/event-stream.js";
import { loadExamples } from "./test-support/examples.js";
import { storeBackends } from "./test-support/store-backends.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const dataplane = (name: string, tags: Record<string, string> = { service: "web" }, mesh = "default") => ({
  type: "Dataplane",
  mesh,
  name,
  networking: { address: "10.0.0.1", inbound: [{ port: 8080, servicePort: 80, tags }] },
});
const meshBody = (name: string) => ({ type: "Mesh", name });

/** The bodies of each mesh-scoped type in the repository's examples (some of them invalid on purpose). */
function bodiesByType(): Map<string, Record<string, unknown>[]> {
  const bodies = new Map<string, Record<string, unknown>[]>();
  for (const example of loadExamples().values()) {
    if (example.body.type !== "Mesh") bodies.set(example.body.type, [...(bodies.get(example.body.type) ?? []), example.body]);
  }
  return bodies;
}

describe.each(storeBackends())("watches ($name store)", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  const apis: TestApi[] = [];
  const streams: EventStream[] = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });

  async function api(env: Record<string, string> = {}, options: { watchHistory?: number } = {}): Promise<TestApi> {
    const started = await startApi(backend, { env, store: backend.createStore(options) });
    apis.push(started);
    // startApi does not close a store it was given: close it with the server.
    const close = started.close;
    apis[apis.length - 1] = { ...started, close: async () => (await close(), await started.store.close()) };
    return started;
  }

  async function watch(target: TestApi, path: string, headers: Record<string, string> = {}): Promise<EventStream> {
    const stream = await openEventStream(target.url + path, headers);
    streams.push(stream);
    return stream;
  }

  const names = (events: readonly StreamEvent[]) => events.map((e) => `${e.event} ${e.json?.name ?? ""}`.trim());

  describe("§1 where", () => {
    it("streams Mesh changes on /meshes?watch=true", async () => {
      const server = await api();
      const stream = await watch(server, "/meshes?watch=true");
      expect(names(await stream.until("synced"))).toEqual(["snapshot default", "synced"]);
      await server.put("/meshes/other", meshBody("other"));
      const created = await stream.next();
      expect(created.event).toBe("created");
      expect(created.json).toEqual({
        type: "Mesh",
        name: "other",
        version: created.json.version,
        resource: (await server.get("/meshes/other")).json,
      });
      expect(created.json).not.toHaveProperty("mesh");
    });

    it("streams the changes of every mesh-scoped collection, each with its resource as GET answers it", async () => {
      const server = await api();
      const bodies = bodiesByType();
      for (const type of meshScopedTypes) {
        const stream = await watch(server, `/meshes/default/${type.path}?watch=true`);
        expect((await stream.until("synced")).at(-1)?.json).toEqual({ total: 0 });
        let path = "";
        let body: Record<string, unknown> | undefined;
        for (const candidate of bodies.get(type.name) ?? []) {
          path = `/meshes/default/${type.path}/${String(candidate.name)}`;
          if ((await server.put(path, { ...candidate, mesh: "default" })).status === 201) {
            body = candidate;
            break;
          }
        }
        expect(body, `a valid example of ${type.name}`).toBeDefined();
        const event = await stream.next();
        expect(event.event, type.name).toBe("created");
        expect(event.json.resource).toEqual((await server.get(path)).json);
        expect(event.json).toMatchObject({ type: type.name, mesh: "default", name: body?.name });
        expect(event.json.version).toBe((await server.get(path)).headers.get("etag")?.replaceAll('"', ""));
        stream.close();
      }
    });

    it("streams dataplane overviews on dataplanes+insights, an event for the dataplane and for its insight, filtered by tag", async () => {
      const server = await api();
      await server.put("/meshes/default/dataplanes/web-1", dataplane("web-1"));
      await server.put("/meshes/default/dataplanes/db-1", dataplane("db-1", { service: "db" }));
      const all = await watch(server, "/meshes/default/dataplanes+insights?watch=true");
      const web = await watch(server, "/meshes/default/dataplanes+insights?watch=true&tag=service:web");
      expect(names(await all.until("synced"))).toEqual(["snapshot db-1", "snapshot web-1", "synced"]);
      const webStart = await web.until("synced");
      expect(names(webStart)).toEqual(["snapshot web-1", "synced"]);
      expect(webStart[0]?.json.resource).toEqual((await server.get("/meshes/default/dataplanes+insights/web-1")).json);

      await server.put("/meshes/default/dataplane-insights/web-1", {
        type: "DataplaneInsight",
        mesh: "default",
        name: "web-1",
        subscriptions: [{ id: "1", controlPlaneInstanceId: "cp-1" }],
      });
      const insight = await all.next();
      expect(insight.event).toBe("updated");
      expect(insight.json.type).toBe("DataplaneOverview");
      expect(insight.json.resource).toEqual((await server.get("/meshes/default/dataplanes+insights/web-1")).json);
      expect((await web.next()).event).toBe("updated");
      // db-1 starts matching the filter, then web-1 stops matching it.
      await server.put("/meshes/default/dataplanes/db-1", dataplane("db-1", { service: "web" }));
      await server.put("/meshes/default/dataplanes/web-1", dataplane("web-1", { service: "api" }));
      expect(names(await web.take(2))).toEqual(["created db-1", "deleted web-1"]);
      expect(names(await all.take(2))).toEqual(["updated db-1", "updated web-1"]);
    });

    it("streams every change of a mesh on /meshes/{mesh}/events, or only the types named", async () => {
      const server = await api();
      await server.put("/meshes/default/dataplanes/dp-1", dataplane("dp-1"));
      const all = await watch(server, "/meshes/default/events");
      const onlyMesh = await watch(server, "/meshes/default/events?type=Mesh&type=TrafficRoute");
      expect(names(await all.until("synced"))).toEqual(["snapshot default", "snapshot dp-1", "synced"]);
      expect(names(await onlyMesh.until("synced"))).toEqual(["snapshot default", "synced"]);
      await server.put("/meshes/default/dataplanes/dp-2", dataplane("dp-2"));
      await server.put("/meshes/default", { ...meshBody("default"), logging: { backends: [] } });
      const [dp, mesh] = await all.take(2);
      expect(dp?.json).toMatchObject({ type: "Dataplane", mesh: "default", name: "dp-2" });
      expect(mesh?.json).toMatchObject({ type: "Mesh", name: "default" });
      expect((await onlyMesh.next()).json).toMatchObject({ type: "Mesh", name: "default" });
    });

    it("refuses bad parameters with 400 and an Accept that admits no event stream with 406", async () => {
      const server = await api();
      const cases: [string, Record<string, string>, number, string | undefined][] = [
        ["/meshes/default/dataplanes?watch=yes", {}, 400, "watch"],
        ["/meshes/default/dataplanes?watch=true&size=10", {}, 400, "size"],
        ["/meshes/default/dataplanes?watch=true&offset=abc", {}, 400, "offset"],
        ["/meshes/default/dataplanes?watch=true&since=not%20a%20token", {}, 400, "since"],
        ["/meshes/default/events?since=nope", {}, 400, "since"],
        ["/meshes/default/events?type=Nope", {}, 400, "type"],
        ["/meshes?watch=true", { "Last-Event-ID": "x y" }, 400, "since"],
        ["/meshes/default/dataplanes?watch=true", { Accept: "application/json" }, 406, undefined],
      ];
      for (const [path, headers, status, cause] of cases) {
        const answer = await fetch(server.url + path, { headers });
        expect(answer.status, path).toBe(status);
        const body = (await answer.json()) as { causes?: { field: string; message: string }[] };
        if (cause) expect(body.causes?.map((c) => c.field), path).toContain(cause);
        if (cause === "since") expect(body.causes).toContainEqual({ field: "since", message: "invalid resume token" });
      }
      for (const accept of ["text/event-stream", "*/*", ""]) {
        const stream = await watch(server, "/meshes/default/dataplanes?watch=1", { Accept: accept });
        expect(stream.status, accept).toBe(200);
      }
    });

    it("streams nothing for a mesh that does not exist, until it is created", async () => {
      const server = await api();
      const stream = await watch(server, "/meshes/later/events");
      expect(names(await stream.until("synced"))).toEqual(["synced"]);
      await server.put("/meshes/later", meshBody("later"));
      await server.put("/meshes/later/dataplanes/dp-1", dataplane("dp-1", undefined, "later"));
      expect(names(await stream.take(2))).toEqual(["created later", "created dp-1"]);
    });
  });

  describe("§2 the stream", () => {
    it("answers 200 text/event-stream, retry first, a snapshot in name order, synced with a token, then live changes", async () => {
      const server = await api();
      for (const name of ["b", "c", "a"]) await server.put(`/meshes/default/dataplanes/${name}`, dataplane(name));
      const stream = await watch(server, "/meshes/default/dataplanes?watch=true");
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toBe("text/event-stream");
      expect(stream.headers.get("cache-control")).toBe("no-cache");
      const start = await stream.until("synced");
      expect(stream.text().startsWith("retry: 1000\n\n")).toBe(true);
      expect(names(start)).toEqual(["snapshot a", "snapshot b", "snapshot c", "synced"]);
      expect(start.slice(0, 3).every((e) => e.id === undefined)).toBe(true);
      const a = (await server.get("/meshes/default/dataplanes/a")).json;
      expect(start[0]?.json).toEqual({ type: "Dataplane", mesh: "default", name: "a", version: start[0]?.json.version, resource: a });
      expect(start[3]?.json).toEqual({ total: 3 });
      expect(start[3]?.id).toMatch(/^\S+$/);

      await server.put("/meshes/default/dataplanes/d", dataplane("d"));
      await server.put("/meshes/default/dataplanes/a", dataplane("a", { service: "api" }));
      await server.delete("/meshes/default/dataplanes/b");
      const live = await stream.take(3);
      expect(names(live)).toEqual(["created d", "updated a", "deleted b"]);
      expect(live[1]?.json.resource).toEqual((await server.get("/meshes/default/dataplanes/a")).json);
      expect(live[2]?.json).not.toHaveProperty("resource");
      expect(new Set(live.map((e) => e.id)).size).toBe(3);
      for (const event of live) expect(event.id).toMatch(/^[!-~]+$/);
    });

    it("delivers nothing for a failed write, and a mesh deletion as each resource's deletion, then the Mesh's", async () => {
      const server = await api();
      await server.put("/meshes/doomed", meshBody("doomed"));
      await server.put("/meshes/doomed/dataplanes/dp-2", dataplane("dp-2", undefined, "doomed"));
      await server.put("/meshes/doomed/dataplanes/dp-1", dataplane("dp-1", undefined, "doomed"));
      const stream = await watch(server, "/meshes/doomed/events");
      await stream.until("synced");
      expect((await server.put("/meshes/doomed/dataplanes/dp-1", { type: "Dataplane" })).status).toBe(400);
      expect((await server.delete("/meshes/doomed/dataplanes/nope")).status).toBe(404);
      expect((await server.delete("/meshes/doomed")).status).toBe(200);
      expect(names(await stream.take(3))).toEqual(["deleted dp-1", "deleted dp-2", "deleted doomed"]);
    });

    it("sends a keep-alive comment every heartbeat interval", async () => {
      const server = await api({ KUMA_API_SERVER_WATCH_HEARTBEAT_INTERVAL: "100ms" });
      const stream = await watch(server, "/meshes?watch=true");
      await stream.until("synced");
      await sleep(350);
      expect(stream.received.filter((e) => e.event === ":comment" && e.data === "keep-alive").length).toBeGreaterThanOrEqual(2);
      expect(stream.text()).toContain("\n: keep-alive\n\n");
    });

    it("delivers each of many concurrent writes exactly once, in the order of the writes", async () => {
      const server = await api();
      const stream = await watch(server, "/meshes/default/dataplanes?watch=true");
      await stream.until("synced");
      await Promise.all(
        Array.from({ length: 4 }, async (_, w) => {
          for (let i = 0; i < 25; i++) await server.put(`/meshes/default/dataplanes/dp-${w}`, dataplane(`dp-${w}`, { service: "web", i: String(i) }));
        }),
      );
      const events = await stream.take(100);
      for (let w = 0; w < 4; w++) {
        const mine = events.filter((e) => e.json.name === `dp-${w}`);
        expect(mine.map((e) => e.json.resource.networking.inbound[0].tags.i)).toEqual(Array.from({ length: 25 }, (_, i) => String(i)));
      }
      const versions = events.map((e) => BigInt(e.json.version));
      for (let i = 1; i < versions.length; i++) expect(versions[i]! > versions[i - 1]!).toBe(true);
      await sleep(100);
      expect(stream.received.filter((e) => !e.event.startsWith(":")).length).toBe(101);
    });
  });

  describe("§3 resuming", () => {
    it("resumes after Last-Event-ID or ?since= with no snapshot, the header winning", async () => {
      const server = await api();
      const first = await watch(server, "/meshes/default/dataplanes?watch=true");
      const synced = (await first.until("synced")).at(-1) as StreamEvent;
      await server.put("/meshes/default/dataplanes/dp-1", dataplane("dp-1"));
      const created = await first.next();
      first.close();
      await server.put("/meshes/default/dataplanes/dp-2", dataplane("dp-2"));
      await server.delete("/meshes/default/dataplanes/dp-1");

      const fromSynced = await watch(server, `/meshes/default/dataplanes?watch=true&since=${encodeURIComponent(synced.id as string)}`);
      expect(names(await fromSynced.take(3))).toEqual(["created dp-1", "created dp-2", "deleted dp-1"]);
      const byHeader = await watch(server, `/meshes/default/dataplanes?watch=true&since=${encodeURIComponent(synced.id as string)}`, {
        "Last-Event-ID": created.id as string,
      });
      const resumed = await byHeader.take(2);
      expect(names(resumed)).toEqual(["created dp-2", "deleted dp-1"]);
      expect(byHeader.received.some((e) => e.event === "snapshot" || e.event === "synced")).toBe(false);
      await server.put("/meshes/default/dataplanes/dp-3", dataplane("dp-3"));
      expect(names([await byHeader.next()])).toEqual(["created dp-3"]);
    });

    it("answers reset, then a full start, when the changes after the token are no longer retained or the token is another store's", async () => {
      const server = await api({}, { watchHistory: 5 });
      const first = await watch(server, "/meshes/default/dataplanes?watch=true");
      const token = (await first.until("synced")).at(-1)?.id as string;
      first.close();
      for (let i = 0; i < 250; i++) await server.store.put(dataplane("dp-1", { i: String(i) }) as never);
      const resumed = await watch(server, "/meshes/default/dataplanes?watch=true", { "Last-Event-ID": token });
      const start = await resumed.until("synced");
      expect(names(start)).toEqual(["reset", "snapshot dp-1", "synced"]);
      expect(start[0]?.json).toEqual({ reason: expect.any(String) });

      const other = await api();
      const foreign = await watch(other, "/meshes/default/dataplanes?watch=true", { "Last-Event-ID": token });
      expect(names(await foreign.until("synced"))).toEqual(["reset", "synced"]);
    });

    it("gives Kuma-Resume-Token on plain lists; ?watch=true&since=<it> streams exactly the changes after that read", async () => {
      const server = await api();
      await server.put("/meshes/default/dataplanes/dp-1", dataplane("dp-1"));
      const page = await server.get("/meshes/default/dataplanes?size=1");
      const token = page.headers.get("kuma-resume-token") as string;
      expect(token).toMatch(/^\S+$/);
      expect((await server.get("/meshes")).headers.get("kuma-resume-token")).toMatch(/^\S+$/);
      expect((await server.get("/meshes/default/dataplanes+insights")).headers.get("kuma-resume-token")).toMatch(/^\S+$/);
      await server.put("/meshes/default/dataplanes/dp-2", dataplane("dp-2"));
      const stream = await watch(server, `/meshes/default/dataplanes?watch=true&since=${encodeURIComponent(token)}`);
      expect(names(await stream.take(1))).toEqual(["created dp-2"]);
      expect(stream.received.some((e) => e.event === "snapshot")).toBe(false);
    });
  });

  describe("§4 many replicas, faults", () => {
    // Replicas share a store only on Redis (the memory engine lives in one process).
    if (backend.name === "redis")
      it("shows a watcher on one replica the writes made through another, and resumes there", async () => {
      const one = await api();
      const two = await startApi(backend, { store: backend.peerOf(one.store) });
      apis.push({ ...two, close: async () => (await two.close(), await two.store.close()) });
      const stream = await watch(one, "/meshes/default/dataplanes?watch=true");
      await stream.until("synced");
      await two.put("/meshes/default/dataplanes/dp-1", dataplane("dp-1"));
      const event = await stream.next();
      expect(names([event])).toEqual(["created dp-1"]);
      stream.close();
      await one.put("/meshes/default/dataplanes/dp-2", dataplane("dp-2"));
      const resumed = await watch(two, "/meshes/default/dataplanes?watch=true", { "Last-Event-ID": event.id as string });
      expect(names(await resumed.take(1))).toEqual(["created dp-2"]);
    });

    it("ends open streams at once on a graceful stop, and refuses new ones", async () => {
      const store = backend.createStore();
      const server = await startServer({ config: testConfig(), store });
      try {
        const stream = await openEventStream(`${server.apiUrl}/meshes?watch=true`);
        await stream.until("synced");
        const started = Date.now();
        await server.close();
        await stream.ended;
        expect(Date.now() - started).toBeLessThan(2000);
      } finally {
        await store.close();
      }
    });
  });

  describe("§5 limits", () => {
    it("answers 503 Too many watches beyond maxStreams, without slowing other requests", async () => {
      const server = await api({ KUMA_API_SERVER_WATCH_MAX_STREAMS: "2" });
      await (await watch(server, "/meshes?watch=true")).until("synced");
      await (await watch(server, "/meshes/default/events")).until("synced");
      const refused = await fetch(`${server.url}/meshes?watch=true`);
      expect(refused.status).toBe(503);
      expect(await refused.json()).toEqual({ title: "Could not retrieve resources", details: "Too many watches" });
      expect((await server.get("/meshes")).status).toBe(200);
      streams[0]?.close();
      await sleep(100);
      expect((await watch(server, "/meshes?watch=true")).status).toBe(200);
    });

    it("ends the stream of a client that does not read once maxBufferedEvents are queued for it", async () => {
      const server = await api({ KUMA_API_SERVER_WATCH_MAX_BUFFERED_EVENTS: "5" });
      const { hostname, port } = new URL(server.url);
      const socket = net.connect(Number(port), hostname);
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.pause();
      socket.write(`GET /meshes/default/dataplanes?watch=true HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n\r\n`);
      await sleep(200);
      // Big resources, so that the socket's buffers fill while the client reads nothing.
      const tags = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`key-${i}`, "v".repeat(200)]));
      for (let i = 0; i < 120; i++) await server.store.put(dataplane(`dp-${i}`, { service: "web", ...tags }) as never);
      let received = "";
      const closed = new Promise<void>((resolve) => {
        socket.on("close", () => resolve());
        socket.on("error", () => resolve());
      });
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
      });
      await sleep(300);
      socket.resume();
      // Ended by the server (without the limit the stream would stay open for as long as the client).
      await closed;
      expect(received).not.toContain("event: created\ndata: {\"type\":\"Dataplane\",\"mesh\":\"default\",\"name\":\"dp-119\"");
      // The other watches and requests go on.
      expect((await server.get("/meshes/default/dataplanes?size=1")).status).toBe(200);
    });

    it("shows the watch settings in /config", async () => {
      const server = await api({ KUMA_API_SERVER_WATCH_MAX_STREAMS: "7", KUMA_STORE_WATCH_HISTORY: "123" });
      const config = (await server.get("/config")).json;
      expect(config.apiServer.watch).toEqual({ heartbeatInterval: "15s", maxStreams: 7, maxBufferedEvents: 1000 });
      expect(config.store.watchHistory).toBe(123);
    });
  });

  describe("CORS for EventSource", () => {
    it("exposes Kuma-Resume-Token and lets a reconnecting EventSource send Last-Event-ID", async () => {
      const server = await api();
      const list = await server.get("/meshes", { Origin: "https://gui.example" });
      expect(list.headers.get("access-control-expose-headers")).toContain("Kuma-Resume-Token");
      const preflight = await server.request("OPTIONS", "/meshes/default/events", {
        headers: {
          Origin: "https://gui.example",
          "Access-Control-Request-Method": "GET",
          "Access-Control-Request-Headers": "last-event-id",
        },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBe("https://gui.example");
      expect(preflight.headers.get("access-control-allow-headers")).toBe("last-event-id");
      const stream = await watch(server, "/meshes?watch=true", { Origin: "https://gui.example" });
      expect(stream.headers.get("access-control-allow-origin")).toBe("https://gui.example");
    });
  });
});
