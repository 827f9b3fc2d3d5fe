import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resourceTypeByName } from "@kuma-ts/model";
import { startApi, type TestApi } from "./test-support/api.js";
import { loadExamples, type Example } from "./test-support/examples.js";
import { storeBackends } from "./test-support/store-backends.js";

const examples = loadExamples();
const SPECIAL = new Set(["dataplane-backend-1-outbound-without-port.json", "dataplane-insight-example.json"]);

/** The URL an example is PUT to. */
function itemPath(example: Example): string {
  const type = resourceTypeByName(example.body.type)!;
  return type.scope === "global"
    ? `/meshes/${example.body.name}`
    : `/meshes/${example.body.mesh}/${type.path}/${example.body.name}`;
}

const withoutTimes = (value: Record<string, unknown>) => {
  const { creationTime: _c, modificationTime: _m, ...rest } = value;
  return rest;
};

describe.each(storeBackends())("the reference examples ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
    expect((await api.put("/meshes/mesh-1", examples.get("mesh-1.json")!.text)).status).toBe(201);
  });
  afterEach(() => api.close());

  it("are all there", () => {
    expect(examples.size).toBeGreaterThanOrEqual(11);
  });

  for (const example of [...examples.values()].filter((e) => !SPECIAL.has(e.file))) {
    it(`${example.file}: PUT, GET back equal, listed, DELETE`, async () => {
      const path = itemPath(example);
      const type = resourceTypeByName(example.body.type)!;
      if (type.scope === "mesh") {
        const created = await api.put(path, example.text);
        expect(created.status, created.text).toBe(201);
      }
      const got = await api.get(path);
      expect(got.status).toBe(200);
      expect(withoutTimes(got.json)).toEqual(example.body);
      expect(got.json.creationTime).toEqual(expect.any(String));

      const listPath = path.slice(0, path.lastIndexOf("/"));
      const list = await api.get(listPath);
      expect(list.json.items.map((item: Record<string, unknown>) => withoutTimes(item))).toContainEqual(example.body);

      const deleted = await api.delete(path);
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({});
      expect((await api.get(path)).status).toBe(404);
    });
  }

  it("dataplane-backend-1-outbound-without-port.json is refused for its missing port", async () => {
    const example = examples.get("dataplane-backend-1-outbound-without-port.json")!;
    const answer = await api.put(itemPath(example), example.text);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      title: "Could not create a resource",
      details: "Resource is not valid",
      causes: [{ field: "networking.outbound[0].port", message: "port has to be in range of [1, 65535]" }],
    });
  });

  it("dataplane-insight-example.json joins dataplane-example.json in the overview", async () => {
    const dataplane = examples.get("dataplane-example.json")!;
    const insight = examples.get("dataplane-insight-example.json")!;
    expect((await api.put(itemPath(dataplane), dataplane.text)).status).toBe(201);
    expect((await api.put(itemPath(insight), insight.text)).status).toBe(201);
    expect(withoutTimes((await api.get(itemPath(insight))).json)).toEqual(insight.body);

    const { type: _t, mesh: _m, name: _n, ...dataplaneSpec } = dataplane.body;
    const { type: _it, mesh: _im, name: _in, ...insightSpec } = insight.body;
    const expected = {
      type: "DataplaneOverview",
      mesh: "default",
      name: "example",
      dataplane: dataplaneSpec,
      dataplaneInsight: insightSpec,
    };
    const item = await api.get("/meshes/default/dataplanes+insights/example");
    expect(item.status).toBe(200);
    expect(withoutTimes(item.json)).toEqual(expected);
    const list = await api.get("/meshes/default/dataplanes+insights");
    expect(list.json.total).toBe(1);
    expect(withoutTimes(list.json.items[0])).toEqual(expected);
  });
});
