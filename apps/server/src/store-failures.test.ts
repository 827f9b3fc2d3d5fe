import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import {
  CorruptedValueError,
  ResourceAlreadyExistsError,
  StoreUnavailableError,
  VersionConflictError,
  type ResourceStore,
} from "@kuma-ts/store";
import { startServer, type RunningServer } from "./server/start-server.js";
import { readAnswer, testConfig } from "./test-support/api.js";
import { failingStore } from "./test-support/failing-store.js";

const MESH = JSON.stringify({ type: "Mesh", name: "m1" });

describe("failures of the store", () => {
  let server: RunningServer | undefined;
  let logLines: Record<string, unknown>[] = [];
  afterEach(async () => {
    await server?.close();
    server = undefined;
    logLines = [];
  });
  const start = async (store: ResourceStore, env: Record<string, string> = {}) => {
    const logger = pino({ level: "info" }, { write: (line: string) => logLines.push(JSON.parse(line) as Record<string, unknown>) });
    server = await startServer({ config: testConfig(env), store, logger });
    return server;
  };
  const call = async (method: string, path: string, body?: string, headers: Record<string, string> = {}) =>
    readAnswer(
      await fetch(server!.apiUrl + path, {
        method,
        body,
        headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
      }),
    );

  it("never answers 409 to a PUT without preconditions: it does not compare versions", async () => {
    await start(failingStore(["create", "update"], () => new VersionConflictError("1", "2")));
    expect((await call("PUT", "/meshes/m1", MESH)).status).toBe(201);
    expect((await call("PUT", "/meshes/m1", MESH)).status).toBe(200);
  });

  it("answers 409 Conflict when a conditional update keeps losing its race", async () => {
    await start(failingStore(["update"], () => new VersionConflictError("1", "2")));
    const etag = (await call("PUT", "/meshes/m1", MESH)).headers.get("etag")!;
    const answer = await call("PUT", "/meshes/m1", MESH, { "If-Match": etag });
    expect(answer.status).toBe(409);
    expect(answer.json).toEqual({ title: "Could not update a resource", details: "Conflict" });
  });

  it("answers 409 Conflict when a conditional create keeps losing its race", async () => {
    await start(failingStore(["create"], () => new ResourceAlreadyExistsError("Mesh", undefined, "m1")));
    const answer = await call("PUT", "/meshes/m1", MESH, { "If-None-Match": "*" });
    expect(answer.status).toBe(409);
    expect(answer.json).toEqual({ title: "Could not create a resource", details: "Conflict" });
  });

  it("answers 503 Service Unavailable per operation while the store is unreachable", async () => {
    await start(failingStore(["get", "list", "put", "delete", "deleteMesh", "ping"], () => new StoreUnavailableError("down")));
    expect((await call("GET", "/meshes/default")).json).toEqual({ title: "Could not retrieve a resource", details: "Service Unavailable" });
    expect((await call("GET", "/meshes")).json).toEqual({ title: "Could not retrieve resources", details: "Service Unavailable" });
    expect((await call("GET", "/meshes/default/dataplanes+insights/x")).json).toEqual({
      title: "Could not retrieve a dataplane overview",
      details: "Service Unavailable",
    });
    expect((await call("DELETE", "/meshes/default/dataplanes/x")).json).toEqual({
      title: "Could not delete a resource",
      details: "Service Unavailable",
    });
    // Without a read first, nothing says whether the PUT would have created or updated.
    expect((await call("PUT", "/meshes/m1", MESH)).json).toEqual({ title: "Could not process a resource", details: "Service Unavailable" });
    expect((await call("PUT", "/meshes/m1", MESH, { "If-Match": '"1"' })).json).toEqual({
      title: "Could not process a resource",
      details: "Service Unavailable",
    });
  });

  it("answers anything unexpected with 500, logging the cause without sending it", async () => {
    await start(failingStore(["get", "list"], () => new Error("the secret internals of the failure")));
    const answer = await call("GET", "/meshes/default/traffic-routes/r1");
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ title: "Could not retrieve a resource", details: "Internal Server Error" });
    expect(answer.text).not.toContain("secret");
    const requestId = answer.headers.get("x-request-id");
    const logged = logLines.find((line) => line.msg === "unexpected error while serving a request");
    expect(logged).toMatchObject({ reqId: requestId, err: { message: "the secret internals of the failure" } });
    expect((await call("GET", "/meshes")).json).toEqual({ title: "Could not retrieve resources", details: "Internal Server Error" });
  });

  it("answers a corrupted stored value with 500", async () => {
    await start(failingStore(["get"], () => new CorruptedValueError("kuma:mesh:x", "not JSON")));
    const answer = await call("GET", "/meshes/x");
    expect(answer.status).toBe(500);
    expect(answer.text).not.toContain("kuma:mesh:x");
  });

  it("with apiServer.accessLog, logs each request as a JSON line with its id, route template, status and duration, never a body", async () => {
    await start(failingStore([], () => new Error()), { KUMA_API_SERVER_ACCESS_LOG: "true" });
    await call("PUT", "/meshes/m1", JSON.stringify({ type: "Mesh", name: "m1", logging: { backends: [{ name: "s3cret-looking", file: { path: "/tmp/log" } }] } }));
    const line = logLines.find((l) => l.msg === "request" && l.method === "PUT");
    expect(line).toMatchObject({ route: "/meshes/{name}", path: "/meshes/m1", status: 201, reqId: expect.any(String), durationMs: expect.any(Number) });
    expect(JSON.stringify(logLines)).not.toContain("s3cret-looking");
  });

  it("logs no line per request by default, even at level info", async () => {
    await start(failingStore([], () => new Error()));
    expect((await call("PUT", "/meshes/m1", MESH)).status).toBe(201);
    expect((await call("GET", "/meshes/m1")).status).toBe(200);
    expect(logLines.map((line) => line.msg)).toContain("kuma-cp started");
    expect(logLines.filter((line) => line.msg === "request")).toEqual([]);
  });
});
