/** P6 and P7: the six policy lists with their type-specific columns, a policy's detail, its dataplanes, its YAML. */
import { resourceTypeByName, type Resource } from "@kuma-ts/model";
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { dataplane, mesh, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const web = { service: "web" };
const backend = { service: "backend" };
const POLICIES: (Resource & { path: string; expected: string })[] = [
  {
    path: "traffic-permissions",
    expected: "service=web→service=backend",
    type: "TrafficPermission",
    mesh: "demo",
    name: "tp-1",
    sources: [{ match: web }],
    destinations: [{ match: backend }],
  },
  {
    path: "traffic-routes",
    expected: "v1 90 % · v2 10 %",
    type: "TrafficRoute",
    mesh: "demo",
    name: "tr-1",
    sources: [{ match: web }],
    destinations: [{ match: backend }],
    conf: [
      { weight: 90, destination: { service: "backend", version: "v1" } },
      { weight: 10, destination: { service: "backend", version: "v2" } },
    ],
  },
  {
    path: "traffic-logs",
    expected: "mesh default",
    type: "TrafficLog",
    mesh: "demo",
    name: "tl-1",
    sources: [{ match: web }],
    destinations: [{ match: backend }],
  },
  {
    path: "traffic-traces",
    expected: "zipkin-1",
    type: "TrafficTrace",
    mesh: "demo",
    name: "tt-1",
    selectors: [{ match: { service: "*" } }],
    conf: { backend: "zipkin-1" },
  },
  {
    path: "health-checks",
    expected: "Passive: unhealthy after 3, penalty 5s",
    type: "HealthCheck",
    mesh: "demo",
    name: "hc-1",
    sources: [{ match: web }],
    destinations: [{ match: backend }],
    conf: { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } },
  },
  {
    path: "proxytemplates",
    expected: "all dataplanes",
    type: "ProxyTemplate",
    mesh: "demo",
    name: "pt-1",
    conf: { imports: ["default-proxy"] },
  },
] as never;

const gui = useControlPlane({}, async ({ client }) => {
  await seed(
    client,
    mesh("demo", {
      tracing: {
        defaultBackend: "zipkin-1",
        backends: [{ name: "zipkin-1", zipkin: { url: "http://zipkin:9411/api/v1/spans" } }],
      },
    }),
    [dataplane("web-1", { mesh: "demo", outbounds: [{ port: 10001, service: "backend" }] })],
    [dataplane("backend-1", { mesh: "demo" })],
  );
  for (const { path: _path, expected: _expected, ...policy } of POLICIES) {
    await client.resources(resourceTypeByName(policy.type)!).put(policy as never);
  }
  // Two routes for backend: the more specific one (web → backend) wins over a wildcard one.
  await client.resources(resourceTypeByName("TrafficRoute")!).put({
    type: "TrafficRoute",
    mesh: "demo",
    name: "tr-wildcard",
    sources: [{ match: { service: "*" } }],
    destinations: [{ match: { service: "*" } }],
    conf: [{ weight: 100, destination: { service: "*" } }],
  } as never);
});

for (const policy of POLICIES) {
  test(`the ${policy.path} list shows its type's columns: ${policy.expected}`, async ({ page }) => {
    await page.goto(gui.url(`/meshes/demo/${policy.path}`));
    const row = page.getByTestId(`row-${policy.name}`);
    await expect(row).toContainText(policy.expected);
  });
}

test("the proxy-templates spelling redirects to proxytemplates", async ({ page }) => {
  await page.goto(gui.url("/meshes/demo/proxy-templates"));
  await expect(page).toHaveURL(/\/meshes\/demo\/proxytemplates$/);
  await expect(page.getByTestId("row-pt-1")).toBeVisible();
});

test("an unknown policy type is not found", async ({ page }) => {
  await page.goto(gui.url("/meshes/demo/traffic-nopes"));
  await expect(page.getByTestId("not-found")).toBeVisible();
  await page.goto(gui.url("/meshes/demo/traffic-nopes/x"));
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("a policy's YAML says its type, and its overview every selector", async ({ page }) => {
  await page.goto(gui.url("/meshes/demo/traffic-routes/tr-1"));
  await expect(page.getByTestId("policy-overview")).toContainText("v1 90 % · v2 10 %");
  await page.getByTestId("tab-yaml").click();
  await expect(page.getByTestId("resource-code")).toContainText("type: TrafficRoute");
  await expect(page.getByTestId("resource-code")).toContainText("name: tr-1");
});

test("of two routes, the loser applies to no dataplane and the winner lists its dataplane", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/demo/traffic-routes/tr-wildcard?tab=dataplanes"));
  await expect(page.getByTestId("applies-nowhere")).toHaveText(
    /This policy currently applies to no dataplane/,
  );
  await page.goto(gui.url("/meshes/demo/traffic-routes/tr-1?tab=dataplanes"));
  await expect(page.getByTestId("affected-web-1")).toContainText(
    "outbound 127.0.0.1:10001 → backend",
  );
  await page.goto(gui.url("/meshes/demo/health-checks/hc-1?tab=dataplanes"));
  await expect(page.getByTestId("affected-web-1")).toContainText("service backend");
});

test.describe("a missing policy", () => {
  test.use({ allowConsoleErrors: true });

  test("is not found, with a link to its list", async ({ page }) => {
    await page.goto(gui.url("/meshes/demo/traffic-routes/nope"));
    await expect(page.getByTestId("not-found")).toContainText(
      "TrafficRoute 'nope' not found in mesh 'demo'",
    );
    await expect(
      page.getByTestId("not-found").getByRole("link", { name: "All traffic routes" }),
    ).toBeVisible();
  });
});
