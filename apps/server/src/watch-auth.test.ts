import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { bearer, REMOTE } from "./test-support/auth.js";
import { openEventStream, type EventStream } from "./test-support/event-stream.js";
import { storeBackends } from "./test-support/store-backends.js";

const RULES = JSON.stringify([
  { groups: ["mesh-system:authenticated"], verbs: ["read"], meshes: ["default"], types: ["*"] },
  { users: ["lister"], verbs: ["list", "get"], meshes: ["*"], types: ["*"] },
]);

describe.each(storeBackends())("watches of token users on the $name store", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const apis: TestApi[] = [];
  const streams: EventStream[] = [];
  afterEach(async () => {
    for (const stream of streams.splice(0)) stream.close();
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });
  const start = async (env: Record<string, string> = {}): Promise<TestApi> => {
    const api = await startApi(backend, { env: { KUMA_ACCESS_STATIC_RESOURCES_RULES: RULES, ...env } });
    apis.push(api);
    return api;
  };
  const tokenFor = async (api: TestApi, name: string, validFor = "1h"): Promise<string> =>
    (await api.request("POST", "/tokens/user", { body: JSON.stringify({ name, validFor }) })).text;
  const open = async (url: string, headers: Record<string, string>): Promise<EventStream> => {
    const stream = await openEventStream(url, headers);
    streams.push(stream);
    return stream;
  };

  it("checks `watch` at open: 403 before the stream starts, and filters a cross-mesh watch", async () => {
    const api = await start();
    await api.put("/meshes/other", { type: "Mesh", name: "other" });
    const alice = bearer(await tokenFor(api, "alice"));
    const denied = await open(`${api.url}/meshes/other/traffic-routes?watch=true`, alice);
    expect(denied.status).toBe(403);
    await denied.ended;
    expect(JSON.parse(denied.text()).details).toBe(
      'user "alice/mesh-system:authenticated" cannot watch the resource of type "TrafficRoute" in mesh "other"',
    );
    // `list` is not `watch`.
    const lister = bearer(await tokenFor(api, "lister"));
    expect((await open(`${api.url}/meshes/other/events`, lister)).status).toBe(403);
    const meshes = await open(`${api.url}/meshes?watch=true`, alice);
    expect(meshes.status).toBe(200);
    const events = await meshes.until("synced");
    expect(events.filter((e) => e.event === "snapshot").map((e) => e.json.name)).toEqual(["default"]);
    expect((await open(`${api.url}/meshes?watch=true`, REMOTE)).status).toBe(200); // filtered to nothing, never 403
  });

  it("ends a token user's stream when the token is revoked, and at its expiry", async () => {
    const api = await start();
    const token = await tokenFor(api, "alice");
    const stream = await open(`${api.url}/meshes/default/events`, bearer(token));
    expect(stream.status).toBe(200);
    await stream.until("synced");
    const revokedAt = performance.now();
    await api.request("POST", "/tokens/user/revocations", { body: JSON.stringify({ tokens: [token] }) });
    await stream.ended;
    expect(performance.now() - revokedAt).toBeLessThan(5000);

    const shortLived = await tokenFor(api, "bob", "7s"); // exp is now + 7 s (iat is backdated 5 s)
    const expiring = await open(`${api.url}/meshes/default/events`, bearer(shortLived));
    await expiring.until("synced");
    const exp = JSON.parse(Buffer.from(shortLived.split(".")[1]!, "base64url").toString()).exp * 1000;
    await expiring.ended;
    expect(Date.now()).toBeGreaterThanOrEqual(exp - 50);
    expect(Date.now() - exp).toBeLessThan(1500);
  }, 20_000);

  it("limits the watches one caller may have open at once", async () => {
    const api = await start({ KUMA_API_SERVER_RATE_LIMIT_ENABLED: "true", KUMA_API_SERVER_RATE_LIMIT_MAX_WATCHES_PER_CLIENT: "2" });
    const alice = bearer(await tokenFor(api, "alice"));
    const first = await open(`${api.url}/meshes/default/events`, alice);
    await open(`${api.url}/meshes/default/events`, alice);
    const third = await open(`${api.url}/meshes/default/events`, alice);
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    first.close();
    // The slot is free again once the server saw the stream go.
    let status = 0;
    for (let i = 0; i < 40 && status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const again = await open(`${api.url}/meshes/default/events`, alice);
      status = again.status;
      if (status !== 200) again.close();
    }
    expect(status).toBe(200);
  });
});
