/** P1, the global overview: the cards, the mesh table, its request budget. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import {
  mesh,
  neverConnectedDataplane,
  offlineDataplane,
  onlineDataplane,
  seed,
} from "./harness/fixtures.js";
import { expect, isWatchRequest, test } from "./harness/test.js";

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
