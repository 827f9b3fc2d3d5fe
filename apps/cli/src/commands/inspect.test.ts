import { readFile } from "node:fs/promises";
import { createClient } from "@kuma-ts/client";
import { DataplaneInsightType, DataplaneType, parseResource, type Resource } from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { kumactl, scratchDir, writeConfigFor } from "../test-support/kumactl.js";

const EXAMPLES = new URL("../../../../examples/", import.meta.url);
const NOW = "2019-10-24T16:05:57.9Z";

let controlPlane: TestControlPlane;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let config: string;

const run = (args: string[], now = NOW) =>
  kumactl(args, { configPath: config, env: { KUMACTL_NOW: now } });
const ok = (stdout: string) => ({ stdout, stderr: "", code: 0 });

beforeAll(async () => {
  controlPlane = await startControlPlane();
  scratch = await scratchDir();
  config = await writeConfigFor(scratch.dir, controlPlane.url);
  const client = createClient({ baseUrl: controlPlane.url });
  const dataplanes = client.resources(DataplaneType);
  const insights = client.resources(DataplaneInsightType);
  const example = async (file: string, type: typeof DataplaneType | typeof DataplaneInsightType) =>
    parseResource(type, await readFile(new URL(file, EXAMPLES), "utf8")) as Resource;

  await dataplanes.put((await example("dataplane-example.json", DataplaneType)) as never);
  await insights.put(
    (await example("dataplane-insight-example.json", DataplaneInsightType)) as never,
  );
  await dataplanes.put({
    type: "Dataplane",
    mesh: "default",
    name: "gateway-1",
    networking: { address: "10.0.0.9", gateway: { tags: { service: "edge" } } },
  });
  await insights.put({
    type: "DataplaneInsight",
    mesh: "default",
    name: "gateway-1",
    subscriptions: [
      {
        connectTime: "2019-10-24T15:00:00Z",
        disconnectTime: "2019-10-24T15:30:00Z",
        status: {
          lastUpdateTime: "2019-10-24T15:29:00Z",
          total: { responsesSent: "5", responsesRejected: "2" },
        },
      },
      {
        connectTime: "2019-10-24T16:05:12Z",
        status: {
          lastUpdateTime: "2019-10-24T16:05:57Z",
          total: { responsesSent: "7", responsesRejected: "1" },
        },
      },
    ],
  });
  await dataplanes.put({
    type: "Dataplane",
    mesh: "default",
    name: "offline-1",
    networking: {
      address: "10.0.0.10",
      inbound: [{ port: 80, tags: { service: "web", version: "2.0" } }],
    },
  });
});
afterAll(async () => {
  await controlPlane.close();
  await scratch.cleanup();
});

const HEADER =
  "MESH      NAME        TAGS                                         STATUS    LAST CONNECTED AGO   LAST UPDATED AGO   TOTAL UPDATES   TOTAL ERRORS\n";
const EXAMPLE =
  "default   example     env=production service=backend version=2.0   Online    2h1m1s               2h1m0s             3               0\n";
const GATEWAY =
  "default   gateway-1   service=edge                                 Online    45s                  0s                 12              3\n";
const OFFLINE =
  "default   offline-1   service=web version=2.0                      Offline   never                never              0               0\n";

describe("kumactl inspect dataplanes", () => {
  it("prints every dataplane with its status, ages at the pinned clock and totals", async () => {
    expect(await run(["inspect", "dataplanes"])).toEqual(ok(HEADER + EXAMPLE + GATEWAY + OFFLINE));
  });

  it("computes ages from the clock when KUMACTL_NOW is not set", async () => {
    const result = await kumactl(["inspect", "dataplanes"], { configPath: config });
    expect(result.code).toBe(0);
    expect(result.stdout.split("\n")[1]).toMatch(
      /^default +example .* Online +\d+h\d+m\d+s +\d+h\d+m\d+s +3 +0$/,
    );
  });

  it("filters by tags given as repeated --tag flags or as one comma-separated list", async () => {
    const backend =
      "MESH      NAME      TAGS                                         STATUS   LAST CONNECTED AGO   LAST UPDATED AGO   TOTAL UPDATES   TOTAL ERRORS\n" +
      "default   example   env=production service=backend version=2.0   Online   2h1m1s               2h1m0s             3               0\n";
    expect(
      await run(["inspect", "dataplanes", "--tag", "service=backend", "--tag", "version=2.0"]),
    ).toEqual(ok(backend));
    expect(await run(["inspect", "dataplanes", "--tag", "service=backend,version=2.0"])).toEqual(
      ok(backend),
    );
    expect(
      await run(["inspect", "dataplanes", "--tag", "version=*", "--tag", "service=web"]),
    ).toEqual(
      ok(
        "MESH      NAME        TAGS                      STATUS    LAST CONNECTED AGO   LAST UPDATED AGO   TOTAL UPDATES   TOTAL ERRORS\n" +
          OFFLINE.replace("                      Offline", "   Offline"),
      ),
    );
    expect(await run(["inspect", "dataplanes", "--tag", "service=nothing,else"])).toEqual(
      ok(
        "MESH   NAME   TAGS   STATUS   LAST CONNECTED AGO   LAST UPDATED AGO   TOTAL UPDATES   TOTAL ERRORS\n",
      ),
    );
  });

  it("prints the header alone for a mesh without dataplanes", async () => {
    expect(await run(["inspect", "dataplanes", "--mesh", "empty"])).toEqual(
      ok(
        "MESH   NAME   TAGS   STATUS   LAST CONNECTED AGO   LAST UPDATED AGO   TOTAL UPDATES   TOTAL ERRORS\n",
      ),
    );
    expect(await run(["inspect", "dataplanes", "--mesh", "empty", "-o", "yaml"])).toEqual(
      ok("items: []\nnext: null\ntotal: 0\n"),
    );
  });

  it("prints the overviews as JSON or YAML", async () => {
    const client = createClient({ baseUrl: controlPlane.url });
    const overview = await client.dataplaneOverview({ mesh: "default", name: "example" });
    const json = await run(["inspect", "dataplanes", "--tag", "service=backend", "-o", "json"]);
    expect(json).toEqual(
      ok(`{
  "total": 1,
  "items": [
    {
      "type": "DataplaneOverview",
      "mesh": "default",
      "name": "example",
      "creationTime": "${overview.creationTime}",
      "modificationTime": "${overview.modificationTime}",
      "dataplane": {
        "networking": {
          "address": "127.0.0.1",
          "inbound": [
            {
              "port": 11011,
              "servicePort": 11012,
              "tags": {
                "env": "production",
                "service": "backend",
                "version": "2.0"
              }
            }
          ],
          "outbound": [
            {
              "port": 33033,
              "service": "database"
            }
          ]
        }
      },
      "dataplaneInsight": {
        "subscriptions": [
          {
            "id": "426fe0d8-f667-11e9-b081-acde48001122",
            "controlPlaneInstanceId": "06070748-f667-11e9-b081-acde48001122",
            "connectTime": "2019-10-24T14:04:56.820350Z",
            "status": {
              "lastUpdateTime": "2019-10-24T14:04:57.832482Z",
              "total": {
                "responsesSent": "3",
                "responsesAcknowledged": "3"
              },
              "cds": {
                "responsesSent": "1",
                "responsesAcknowledged": "1"
              },
              "eds": {
                "responsesSent": "1",
                "responsesAcknowledged": "1"
              },
              "lds": {
                "responsesSent": "1",
                "responsesAcknowledged": "1"
              },
              "rds": {}
            }
          }
        ]
      }
    }
  ],
  "next": null
}
`),
    );
    expect(await run(["inspect", "dataplanes", "--tag", "service=edge", "-o", "yaml"])).toEqual(
      ok(`items:
- creationTime: "${(await client.dataplaneOverview({ mesh: "default", name: "gateway-1" })).creationTime}"
  dataplane:
    networking:
      address: 10.0.0.9
      gateway:
        tags:
          service: edge
  dataplaneInsight:
    subscriptions:
    - connectTime: "2019-10-24T15:00:00Z"
      disconnectTime: "2019-10-24T15:30:00Z"
      status:
        lastUpdateTime: "2019-10-24T15:29:00Z"
        total:
          responsesRejected: "2"
          responsesSent: "5"
    - connectTime: "2019-10-24T16:05:12Z"
      status:
        lastUpdateTime: "2019-10-24T16:05:57Z"
        total:
          responsesRejected: "1"
          responsesSent: "7"
  mesh: default
  modificationTime: "${(await client.dataplaneOverview({ mesh: "default", name: "gateway-1" })).modificationTime}"
  name: gateway-1
  type: DataplaneOverview
next: null
total: 1
`),
    );
  });

  it("rejects a KUMACTL_NOW that is not an RFC 3339 timestamp", async () => {
    expect(await run(["inspect", "dataplanes"], "yesterday")).toEqual({
      stdout: "",
      stderr: 'Error: invalid KUMACTL_NOW "yesterday": must be an RFC 3339 timestamp\n',
      code: 1,
    });
  });
});
