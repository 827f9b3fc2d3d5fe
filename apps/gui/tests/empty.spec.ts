/** The empty states: no mesh, no dataplane, no policy of a type, each with its kumactl example. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const gui = useControlPlane();

test("with no mesh, the overview and the meshes page offer a Mesh to apply", async ({ page }) => {
  await page.goto(gui.url("/"));
  await expect(page.getByTestId("empty")).toContainText("No meshes");
  await expect(page.getByTestId("empty-example")).toHaveText("type: Mesh\nname: default\n");
  await page.goto(gui.url("/meshes"));
  await expect(page.getByTestId("empty")).toContainText("kumactl apply -f");
});

test("an empty mesh offers a Universal dataplane and its token command, and each policy type a minimal valid example", async ({
  page,
}) => {
  await seed(gui.cp.client, mesh("empty"));
  await page.goto(gui.url("/meshes/empty/dataplanes"));
  await expect(page.getByTestId("empty")).toContainText(
    "kumactl generate dataplane-token --mesh=empty",
  );
  await expect(page.getByTestId("empty-example")).toContainText("type: Dataplane\nmesh: empty");
  for (const [path, type] of [
    ["health-checks", "HealthCheck"],
    ["proxytemplates", "ProxyTemplate"],
    ["traffic-logs", "TrafficLog"],
    ["traffic-permissions", "TrafficPermission"],
    ["traffic-routes", "TrafficRoute"],
    ["traffic-traces", "TrafficTrace"],
  ]) {
    await page.goto(gui.url(`/meshes/empty/${path}`));
    await expect(page.getByTestId("empty-example"), path).toContainText(`type: ${type}\nname: `);
    await expect(page.getByTestId("empty-example"), path).toContainText("mesh: empty");
  }
});

test("every empty state's example is valid: the API accepts each one", async ({ page }) => {
  await seed(gui.cp.client, mesh("examples"));
  const { parse } = await import("yaml");
  const { resourceTypeByName } = await import("@kuma-ts/model");
  for (const path of [
    "health-checks",
    "proxytemplates",
    "traffic-logs",
    "traffic-permissions",
    "traffic-routes",
    "traffic-traces",
    "dataplanes",
  ]) {
    await page.goto(gui.url(`/meshes/examples/${path}`));
    const resource = parse((await page.getByTestId("empty-example").textContent()) ?? "") as {
      type: string;
    };
    await gui.cp.client.resources(resourceTypeByName(resource.type)!).put(resource as never);
  }
});
