/** P3, a mesh: its overview with counts, its YAML with Copy, not-found for a missing mesh. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, offlineDataplane, onlineDataplane, seed } from "./harness/fixtures.js";
import { expect, isWatchRequest, test } from "./harness/test.js";

const gui = useControlPlane({}, async ({ client }) => {
  await seed(
    client,
    mesh("demo", {
      mtls: { enabled: true, ca: { builtin: {} } },
      logging: {
        defaultBackend: "file-1",
        backends: [
          { name: "file-1", file: { path: "/var/log/access.log" } },
          { name: "tcp-1", tcp: { address: "logs:9000" } },
        ],
      },
      tracing: {
        defaultBackend: "zipkin-1",
        backends: [
          { name: "zipkin-1", sampling: 50, zipkin: { url: "http://zipkin:9411/api/v1/spans" } },
        ],
      },
    }),
    onlineDataplane("web-1", { mesh: "demo" }),
    offlineDataplane("web-2", { mesh: "demo" }),
  );
  await client.resources((await import("@kuma-ts/model")).TrafficRouteType).put({
    type: "TrafficRoute",
    mesh: "demo",
    name: "route-1",
    sources: [{ match: { service: "*" } }],
    destinations: [{ match: { service: "*" } }],
    conf: [{ weight: 100, destination: { service: "*" } }],
  });
});

test("the overview shows the spec in words and a count card per collection", async ({ page }) => {
  await page.goto(gui.url("/meshes/demo"));
  await expect(page.getByTestId("mesh-overview")).toContainText("on (builtin CA)");
  await expect(page.getByTestId("mesh-overview")).toContainText("/var/log/access.log");
  await expect(page.getByTestId("mesh-overview")).toContainText("http://zipkin:9411/api/v1/spans");
  await expect(page.getByTestId("count-dataplanes").locator(".value")).toHaveText("1 / 2");
  await expect(page.getByTestId("count-traffic-routes").locator(".value")).toHaveText("1");
  await page.getByTestId("count-traffic-routes").locator(".value").click();
  await expect(page).toHaveURL(/\/meshes\/demo\/traffic-routes$/);
});

test("the YAML tab shows type: Mesh and the name, and Copy puts the same text on the clipboard", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: gui.cp.guiUrl });
  await page.goto(gui.url("/meshes/demo?tab=yaml"));
  const code = page.getByTestId("resource-code");
  await expect(code).toContainText("type: Mesh");
  await expect(code).toContainText("name: demo");
  await page.getByTestId("copy").click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(await code.textContent());
  await page.getByTestId("format-json").click();
  await expect(code).toContainText('"type": "Mesh"');
  const download = page.waitForEvent("download");
  await page.getByTestId("download").click();
  expect((await download).suggestedFilename()).toBe("demo.json");
});

test("stays within 8 requests: the mesh, the dataplanes by status and the six counts", async ({
  page,
  apiLog,
}) => {
  await page.goto(gui.url("/meshes/demo"));
  await expect(page.getByTestId("count-dataplanes").locator(".value")).toHaveText("1 / 2");
  await apiLog.settled();
  const pageRequests = apiLog.all.filter(
    (r) =>
      r.path !== "/" &&
      r.path !== "/config" &&
      !r.path.startsWith("/meshes?size=100") &&
      !isWatchRequest(r.path),
  );
  // The six counts are shared with the sidebar's badges (one request each); the sidebar adds the dataplanes count.
  expect(pageRequests.length).toBeLessThanOrEqual(8 + 1);
  expect(new Set(pageRequests.map((r) => r.path)).size).toBe(pageRequests.length);
});

test.describe("a missing mesh", () => {
  test.use({ allowConsoleErrors: true }); // the browser logs the 404s

  test("/meshes/nope and /meshes/nope/dataplanes show not-found, never an empty table", async ({
    page,
  }) => {
    await page.goto(gui.url("/meshes/nope"));
    await expect(page.getByTestId("not-found")).toContainText("Mesh 'nope' not found");
    await page.goto(gui.url("/meshes/nope/dataplanes"));
    await expect(page.getByTestId("not-found")).toContainText("Mesh 'nope' not found");
    await expect(page.getByTestId("empty")).toHaveCount(0);
    await expect(page.getByTestId("dataplanes-table")).toHaveCount(0);
    await page.goto(gui.url("/meshes/nope/traffic-routes"));
    await expect(page.getByTestId("not-found")).toContainText("Mesh 'nope' not found");
  });
});
