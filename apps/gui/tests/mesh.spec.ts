/**
 * P3, a mesh: its overview with counts, its YAML with Copy, not-found for a
 * missing mesh, and the mesh and its counts following the mesh's events.
 */
import {
  DataplaneInsightType,
  DataplaneType,
  MeshType,
  TrafficPermissionType,
  type TrafficPermission,
} from "@kuma-ts/model";
import type { Page } from "@playwright/test";
import { useControlPlane } from "./harness/control-plane-per-file.js";
import {
  mesh,
  neverConnectedDataplane,
  offlineDataplane,
  onlineDataplane,
  seed,
} from "./harness/fixtures.js";
import {
  expect,
  FEED_WAIT_MS,
  isWatchRequest,
  openWatches,
  test,
  type ApiLog,
} from "./harness/test.js";

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

test.describe("live, through the mesh's events", () => {
  const dataplaneCard = (page: Page) => page.getByTestId("count-dataplanes").locator(".value");
  const permissionCard = (page: Page) =>
    page.getByTestId("count-traffic-permissions").locator(".value");
  const permission = (meshName: string, name: string): TrafficPermission => ({
    type: "TrafficPermission",
    mesh: meshName,
    name,
    sources: [{ match: { service: "*" } }],
    destinations: [{ match: { service: "*" } }],
  });
  /** The reads of the mesh's page (not its watches). */
  const reads = (apiLog: ApiLog, meshName: string) =>
    apiLog.all
      .map((r) => r.path)
      .filter((path) => path.startsWith(`/meshes/${meshName}`) && !isWatchRequest(path));

  /** Opens the mesh's page and waits until its counts are read and its events stream is open. */
  async function openLive(page: Page, apiLog: ApiLog, meshName: string, dataplanes: string) {
    await page.goto(gui.url(`/meshes/${meshName}`));
    await expect(dataplaneCard(page)).toHaveText(dataplanes);
    await expect(page.getByTestId("live-state")).toHaveText("push");
    await apiLog.settled();
    const watches = apiLog.all.filter(
      (r) => isWatchRequest(r.path) && r.path.startsWith(`/meshes/${meshName}/`),
    );
    expect(watches).toHaveLength(1);
    await watches[0]!.request.response();
    return watches[0]!;
  }

  test("one events stream of the mesh, for the types the page shows, from the counts' resume token", async ({
    page,
    apiLog,
  }) => {
    await seed(
      gui.cp.client,
      mesh("live-stream"),
      onlineDataplane("web-1", { mesh: "live-stream" }),
    );
    const open = openWatches(page, (path) => path.startsWith("/meshes/live-stream/"));
    const watch = await openLive(page, apiLog, "live-stream", "1 / 1");
    const url = new URL(watch.path, "http://gui");
    expect(url.pathname).toBe("/meshes/live-stream/events");
    expect(url.searchParams.getAll("type").sort()).toEqual(
      [
        "Mesh",
        "Dataplane",
        "DataplaneInsight",
        "HealthCheck",
        "ProxyTemplate",
        "TrafficLog",
        "TrafficPermission",
        "TrafficRoute",
        "TrafficTrace",
      ].sort(),
    );
    // No snapshot: it starts where the counts were read.
    expect(watch.headers["last-event-id"]).toBeTruthy();
    await page.waitForTimeout(6000); // longer than the poll period: nothing of the page is polled
    // Each read once: the mesh, its dataplanes by status, the six counts (the sidebar's dataplane count aside).
    const pageReads = reads(apiLog, "live-stream").filter(
      (path) => !path.endsWith("/dataplanes?size=1"),
    );
    expect(pageReads).toHaveLength(8);
    expect(new Set(pageReads).size).toBe(8);
    expect(open.most()).toBe(1);
  });

  test("the mesh updated through the API changes the page within 2 s, with no read", async ({
    page,
    apiLog,
  }) => {
    await seed(gui.cp.client, mesh("live-update"));
    await openLive(page, apiLog, "live-update", "0 / 0");
    const overview = page.getByTestId("mesh-overview");
    await expect(overview).toContainText("off");
    apiLog.clear();
    await gui.cp.client
      .resources(MeshType)
      .put(mesh("live-update", { mtls: { enabled: true, ca: { builtin: {} } } }));
    await expect(overview).toContainText("on (builtin CA)", { timeout: FEED_WAIT_MS });
    await expect(overview.locator("td.flash").first()).toBeAttached();
    await page.getByTestId("tab-yaml").click();
    await expect(page.getByTestId("resource-code")).toContainText("builtin", {
      timeout: FEED_WAIT_MS,
    });
    expect(reads(apiLog, "live-update")).toEqual([]);
    expect(apiLog.all.filter((r) => r.path.startsWith("/meshes?"))).toEqual([]);
  });

  test("a dataplane or a policy created or deleted through the API changes its own card within 2 s", async ({
    page,
    apiLog,
  }) => {
    await seed(
      gui.cp.client,
      mesh("live-counts"),
      onlineDataplane("web-1", { mesh: "live-counts" }),
      permission("live-counts", "allow-1"),
    );
    await openLive(page, apiLog, "live-counts", "1 / 1");
    await expect(permissionCard(page)).toHaveText("1");

    // A policy: its card's count alone is read again.
    apiLog.clear();
    await gui.cp.client.resources(TrafficPermissionType).put(permission("live-counts", "allow-2"));
    await expect(permissionCard(page)).toHaveText("2", { timeout: FEED_WAIT_MS });
    await apiLog.settled();
    expect(reads(apiLog, "live-counts")).toEqual([
      "/meshes/live-counts/traffic-permissions?size=1",
    ]);
    apiLog.clear();
    await gui.cp.client
      .resources(TrafficPermissionType)
      .delete({ mesh: "live-counts", name: "allow-1" });
    await expect(permissionCard(page)).toHaveText("1", { timeout: FEED_WAIT_MS });
    await apiLog.settled();
    expect(reads(apiLog, "live-counts")).toEqual([
      "/meshes/live-counts/traffic-permissions?size=1",
    ]);

    // A dataplane: the events say it all, but for a new name's insight (one alone may exist), read with its card.
    apiLog.clear();
    await seed(gui.cp.client, neverConnectedDataplane("web-2", { mesh: "live-counts" }));
    await expect(dataplaneCard(page)).toHaveText("1 / 2", { timeout: FEED_WAIT_MS });
    await apiLog.settled();
    expect(reads(apiLog, "live-counts")).toEqual([
      "/meshes/live-counts/dataplanes+insights?size=1000",
    ]);
    apiLog.clear();
    await gui.cp.client
      .resources(DataplaneInsightType)
      .put(onlineDataplane("web-2", { mesh: "live-counts" })[1]!);
    await expect(dataplaneCard(page)).toHaveText("2 / 2", { timeout: FEED_WAIT_MS });
    await gui.cp.client
      .resources(DataplaneInsightType)
      .put(offlineDataplane("web-1", { mesh: "live-counts" })[1]!);
    await expect(dataplaneCard(page)).toHaveText("1 / 2", { timeout: FEED_WAIT_MS });
    await gui.cp.client.resources(DataplaneType).delete({ mesh: "live-counts", name: "web-2" });
    await expect(dataplaneCard(page)).toHaveText("0 / 1", { timeout: FEED_WAIT_MS });
    await expect(page.getByTestId("count-dataplanes")).toHaveClass(/flash/);
    await apiLog.settled();
    expect(reads(apiLog, "live-counts")).toEqual([]);
  });

  test("deleting the mesh shows the deleted banner over its last data, and its counts drop", async ({
    page,
    apiLog,
  }) => {
    await seed(
      gui.cp.client,
      mesh("live-delete"),
      onlineDataplane("web-1", { mesh: "live-delete" }),
      permission("live-delete", "allow-1"),
    );
    await openLive(page, apiLog, "live-delete", "1 / 1");
    await expect(page.getByTestId("resource-deleted")).toHaveCount(0);
    await gui.cp.client.resources(MeshType).delete({ name: "live-delete" });
    await expect(page.getByTestId("resource-deleted")).toHaveText("This resource was deleted.", {
      timeout: FEED_WAIT_MS,
    });
    await expect(page.getByTestId("mesh-overview")).toBeVisible(); // the last data stays
    await expect(dataplaneCard(page)).toHaveText("0 / 0", { timeout: FEED_WAIT_MS });
    await expect(permissionCard(page)).toHaveText("0", { timeout: FEED_WAIT_MS });
  });
});
