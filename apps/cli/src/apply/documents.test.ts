import { describe, expect, it } from "vitest";
import { checkDocuments, substituteVariables } from "./documents.js";

const check = (text: string, name = "stdin") => checkDocuments([{ name, text }]);

describe("substituteVariables", () => {
  it("replaces {{name}} and {{ name }}; unknown names become empty", () => {
    expect(
      substituteVariables("name: {{name}}\nmesh: {{ mesh }}\nx: {{unknown}}", {
        name: "dp-1",
        mesh: "default",
      }),
    ).toBe("name: dp-1\nmesh: default\nx: ");
  });
});

describe("checkDocuments", () => {
  it("accepts several documents and reads an empty YAML message as {}", async () => {
    const result = await check(`type: Mesh
name: m1
mtls:
  ca:
    builtin:
---
type: TrafficTrace
mesh: m1
name: tt
selectors:
- match:
    service: '*'
`);
    expect(result.errors).toEqual([]);
    expect(result.documents.map((d) => d.resource)).toEqual([
      { type: "Mesh", name: "m1", mtls: { ca: { builtin: {} } } },
      { type: "TrafficTrace", mesh: "m1", name: "tt", selectors: [{ match: { service: "*" } }] },
    ]);
  });

  it("reports every problem of every document with its document number and starting line", async () => {
    const result = await check(`# a comment
type: Mesh
---
type: Dataplane
name: dp
---

type: Unknown
name: x
mesh: default
---
type: Dataplane
name: dp
mesh: default
networking:
  inbound:
  - port: "abc"
    tags: {service: web}
  inbund: []
---
- not a mapping
---
type: TrafficRoute
name: BAD
mesh: default
`);
    expect(result.documents).toEqual([]);
    expect(result.errors).toEqual([
      "stdin: document 1 (line 2): YAML contains invalid resource: Name field cannot be empty",
      "stdin: document 2 (line 4): YAML contains invalid resource: Mesh field cannot be empty",
      "stdin: document 3 (line 8): YAML contains invalid resource: invalid type of resource type",
      "stdin: document 4 (line 12): YAML contains invalid resource: networking.inbound[0].port: must be an integer",
      "stdin: document 4 (line 12): YAML contains invalid resource: networking.inbund: unknown field",
      "stdin: document 5 (line 21): YAML contains invalid resource: the document must be a mapping",
      "stdin: document 6 (line 23): YAML contains invalid resource: name: invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.",
      "stdin: document 6 (line 23): YAML contains invalid resource: sources: must have at least one element",
      "stdin: document 6 (line 23): YAML contains invalid resource: destinations: must have at least one element",
      "stdin: document 6 (line 23): YAML contains invalid resource: conf: must have at least one element",
    ]);
  });

  it("reports YAML syntax errors and skips empty documents", async () => {
    const result = await check("---\n---\ntype: Mesh\nname: [oops\n", "mesh.yaml");
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^mesh\.yaml: document 2 \(line 3\): YAML contains invalid resource: .+[^:]$/,
      ),
    ]);
  });

  it("keeps unquoted timestamps as text", async () => {
    const result = await check(`type: DataplaneInsight
mesh: default
name: dp
subscriptions:
- connectTime: 2019-10-24T14:04:56.820350Z
`);
    expect(result.errors).toEqual([]);
    expect(result.documents[0]?.resource).toMatchObject({
      subscriptions: [{ connectTime: "2019-10-24T14:04:56.820350Z" }],
    });
  });
});
