import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { renderConfig } from "./config-file.js";
import {
  addControlPlane,
  configFromDocument,
  currentControlPlane,
  defaultConfig,
  removeControlPlane,
  switchContext,
} from "./config.js";

const DEFAULT_FILE = `contexts:
- controlPlane: local
  name: local
controlPlanes:
- coordinates:
    apiServer:
      url: http://localhost:5681
  name: local
currentContext: local
`;

describe("the kumactl configuration", () => {
  it("writes the default configuration exactly as kumactl does", async () => {
    expect(await renderConfig(defaultConfig())).toBe(DEFAULT_FILE);
  });

  it("reads snake_case keys, ignores unknown ones and keeps contexts' default mesh", async () => {
    const config = configFromDocument(
      parse(`
current_context: prod
colour: blue
control_planes:
- name: prod
  coordinates:
    api_server:
      url: https://kuma.example.com:5682
      tls: true
  credentials:
    client_cert: /cert.pem
contexts:
- name: prod
  control_plane: prod
  defaults:
    mesh: payments
`),
    );
    expect(config).toEqual({
      controlPlanes: [
        {
          name: "prod",
          url: "https://kuma.example.com:5682",
          credentials: { clientCert: "/cert.pem" },
        },
      ],
      contexts: [{ name: "prod", controlPlane: "prod", defaults: { mesh: "payments" } }],
      currentContext: "prod",
    });
    expect(await renderConfig(config)).toBe(`contexts:
- controlPlane: prod
  defaults:
    mesh: payments
  name: prod
controlPlanes:
- coordinates:
    apiServer:
      url: https://kuma.example.com:5682
  credentials:
    clientCert: /cert.pem
  name: prod
currentContext: prod
`);
  });

  it("reads an empty document as an empty configuration and writes empty lists as []", async () => {
    const empty = configFromDocument(parse(""));
    expect(empty).toEqual({ controlPlanes: [], contexts: [], currentContext: "" });
    expect(await renderConfig(empty)).toBe('contexts: []\ncontrolPlanes: []\ncurrentContext: ""\n');
    expect(currentControlPlane(empty)).toEqual({
      problem:
        "active Control Plane is not set. Use `kumactl config control-planes add` to add a Control Plane and make it active",
    });
  });

  it("adds, overwrites, switches and removes control planes with their contexts", () => {
    const prod = { name: "prod", url: "http://prod:5681" };
    const added = addControlPlane(defaultConfig(), prod, false)!;
    expect(added.currentContext).toBe("prod");
    expect(added.contexts.map((c) => c.name)).toEqual(["local", "prod"]);
    expect(addControlPlane(added, prod, false)).toBeUndefined();
    const replaced = addControlPlane(added, { name: "local", url: "http://other:5681" }, true)!;
    expect(replaced.controlPlanes).toEqual([{ name: "local", url: "http://other:5681" }, prod]);
    expect(replaced.currentContext).toBe("local");
    expect(switchContext(replaced, "nope")).toBeUndefined();
    expect(switchContext(replaced, "prod")!.currentContext).toBe("prod");
    const removed = removeControlPlane(replaced, "local")!;
    expect(removed).toEqual({
      controlPlanes: [prod],
      contexts: [{ name: "prod", controlPlane: "prod" }],
      currentContext: "prod",
    });
    expect(removeControlPlane(removed, "local")).toBeUndefined();
    expect(removeControlPlane(removed, "prod")).toEqual({
      controlPlanes: [],
      contexts: [],
      currentContext: "",
    });
  });

  it("reports a current context whose control plane is gone as a broken configuration", () => {
    const broken = {
      controlPlanes: [],
      contexts: [{ name: "a", controlPlane: "gone" }],
      currentContext: "a",
    };
    expect(currentControlPlane(broken)).toEqual({
      problem:
        "apparently, configuration is broken. Use `kumactl config control-planes add` to add a Control Plane and make it active",
    });
  });
});
