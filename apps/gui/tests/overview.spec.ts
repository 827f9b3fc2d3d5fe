/** P1, the global overview: the cards, the mesh table, its request budget, its live updates. */
import { MeshType } from "@kuma-ts/model";
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

/** Poll period (5 s) plus slack. */
const POLL_WAIT_MS = 7000;

const gui = useControlPlane({}, async ({ client }) => {
  await seed(
    client,
    mesh("alpha"),
    mesh("beta", { mtls: { enabled: true, ca: { builtin: {} } } }),
    onlineDataplane("web-1", { mesh: "alpha" }),
    offlineDataplane("backend-1", { mesh: "alpha" }),
    neverConnectedDataplane("redis-1", { mesh: "beta" }),
  );
});

test("the cards count 2 meshes and 3 dataplanes: 1 online, 1 offline, 1 never connected", async ({
  page,
}) => {
  await page.goto(gui.url("/"));
  await expect(page.getByTestId("card-meshes").locator(".value")).toHaveText("2");
  await expect(page.getByTestId("card-dataplanes").locator(".value")).toHaveText("3");
  await expect(page.getByTestId("card-online").locator(".value")).toHaveText("1");
  await expect(page.getByTestId("card-offline").locator(".value")).toHaveText("1");
  await expect(page.getByTestId("card-never").locator(".value")).toHaveText("1");
});

test("the mesh table has one row per mesh with online / total and mTLS", async ({ page }) => {
  await page.goto(gui.url("/"));
  await expect(page.getByTestId("mesh-table").locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("mesh-row-alpha").getByTestId("online-total")).toHaveText("1 / 2");
  await expect(page.getByTestId("mesh-row-beta").getByTestId("online-total")).toHaveText("0 / 1");
  await expect(page.getByTestId("mesh-row-beta")).toContainText("on");
});

test("clicking a mesh row opens the mesh", async ({ page }) => {
  await page.goto(gui.url("/"));
  await page.getByTestId("mesh-row-beta").locator("td").nth(2).click();
  await expect(page).toHaveURL(/\/meshes\/beta$/);
  await expect(page.getByTestId("page-title")).toHaveText("beta");
});

test("reads lists only: 1 + 7 requests per mesh, never a dataplane's item", async ({
  page,
  apiLog,
}) => {
  await page.goto(gui.url("/"));
  await expect(page.getByTestId("mesh-row-alpha").getByTestId("online-total")).toHaveText("1 / 2");
  await apiLog.settled();
  const paths = apiLog.all.map((r) => r.path);
  expect(paths.filter((p) => /dataplanes\+insights\/[^?]/.test(p))).toEqual([]);
  // The budget counts every count request too (they are the page's: 6 per mesh), the shell's
  // index and selector and the live updates' watch aside.
  const page1 = apiLog.all.filter(
    (r) =>
      r.path !== "/" &&
      r.path !== "/config" &&
      !r.path.startsWith("/meshes?size=100") &&
      !isWatchRequest(r.path),
  );
  const sidebar = 7; // the selected mesh's badges
  expect(page1.length).toBeLessThanOrEqual(1 + 7 * 2 + sidebar);
  expect(paths).toContain("/meshes?size=10");
  expect(paths).toContain("/meshes/alpha/dataplanes+insights?size=1000");
  expect(paths).toContain("/meshes/beta/traffic-routes?size=1");
});

test.describe("live", () => {
  const meshLists = (apiLog: ApiLog) =>
    apiLog.all.map((r) => r.path).filter((path) => path.startsWith("/meshes?size"));
  const selectorHas = (page: Page, name: string) =>
    page.getByTestId("mesh-selector").locator(`option[value="${name}"]`);

  test("a mesh created, updated and deleted through the API shows in the selector and the table within 2 s, with no list request and one meshes watch", async ({
    page,
    apiLog,
  }) => {
    const meshes = gui.cp.client.resources(MeshType);
    const watches = openWatches(page, (path) => path.startsWith("/meshes?"));
    await page.goto(gui.url("/"));
    await expect(page.getByTestId("mesh-table").locator("tbody tr")).toHaveCount(2);
    await expect(page.getByTestId("live-state")).toHaveText("push");
    await apiLog.settled();
    // The selector and the overview share one stream.
    expect(apiLog.all.filter((r) => isWatchRequest(r.path)).map((r) => r.path)).toEqual([
      "/meshes?watch=true",
    ]);

    apiLog.clear();
    await meshes.put(mesh("gamma"));
    // In the selector by name; on the overview, a new row would change the page: the pill says so.
    await expect(selectorHas(page, "gamma")).toBeAttached({ timeout: FEED_WAIT_MS });
    await expect(page.getByTestId("nav-meshes")).toContainText("3");
    await expect(page.getByTestId("changes-pill")).toHaveText("1 change — refresh", {
      timeout: FEED_WAIT_MS,
    });
    await expect(page.getByTestId("mesh-table").locator("tbody tr")).toHaveCount(2);
    expect(meshLists(apiLog)).toEqual([]);
    await page.getByTestId("changes-pill").click();
    await expect(page.getByTestId("mesh-row-gamma")).toBeVisible();
    await expect(page.getByTestId("changes-pill")).toHaveCount(0);
    await apiLog.settled();

    apiLog.clear();
    await meshes.put(mesh("gamma", { mtls: { enabled: true, ca: { builtin: {} } } }));
    const row = page.getByTestId("mesh-row-gamma");
    await expect(row.getByTestId("mtls")).toHaveText("on", { timeout: FEED_WAIT_MS });
    await expect(row.locator("td.flash")).toBeAttached();
    await expect(page.locator("[data-testid=mesh-table] tbody tr td:first-child a")).toHaveText([
      "alpha",
      "beta",
      "gamma",
    ]);
    // The row's counts are read again with it (they are not in the meshes' feed).
    await expect
      .poll(() => apiLog.all.map((r) => r.path))
      .toContain("/meshes/gamma/dataplanes+insights?size=1000");

    await meshes.delete({ name: "gamma" });
    await expect(row).toHaveClass(/deleted/, { timeout: FEED_WAIT_MS });
    await expect(row).toContainText("deleted");
    await expect(selectorHas(page, "gamma")).toHaveCount(0, { timeout: FEED_WAIT_MS });
    await expect(page.getByTestId("nav-meshes")).toContainText("2");
    expect(meshLists(apiLog)).toEqual([]);
    expect(watches.most()).toBe(1);
    expect(apiLog.all.filter((r) => isWatchRequest(r.path))).toEqual([]);
  });

  test("while the feed is open, the counts are not polled: they are read with their row, or by Refresh", async ({
    page,
    apiLog,
  }) => {
    await page.goto(gui.url("/"));
    await expect(page.getByTestId("mesh-row-beta").getByTestId("online-total")).toHaveText("0 / 1");
    await expect(page.getByTestId("live-state")).toHaveText("push");
    await apiLog.settled();
    apiLog.clear();
    await page.waitForTimeout(POLL_WAIT_MS); // longer than the poll period
    // beta's counts are the overview's alone (the sidebar shows alpha's badges).
    expect(
      apiLog.all.map((r) => r.path).filter((path) => path.startsWith("/meshes/beta/")),
    ).toEqual([]);
    await page.getByTestId("refresh").click();
    await expect
      .poll(() => apiLog.all.map((r) => r.path))
      .toContain("/meshes/beta/dataplanes+insights?size=1000");
  });
});
