/** The global states (§4) under faults: the API down at load or mid-session, error bodies of every kind, latency. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, onlineDataplane, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const gui = useControlPlane({}, async ({ client }) => {
  await seed(client, mesh("default"), onlineDataplane("web-1"));
});

// Every test here provokes failed requests, which the browser logs.
test.use({ allowConsoleErrors: true });

test("api-unreachable replaces the content when the API is down at load; Retry recovers once it is back", async ({
  page,
}) => {
  await gui.cp.stopApi();
  try {
    await page.goto(gui.url("/meshes/default/dataplanes"));
    await expect(page.getByTestId("api-unreachable")).toContainText(
      "Cannot reach the Kuma API at /api (502 API server unreachable). Is kuma-cp running?",
    );
    await expect(page.getByTestId("api-status")).toHaveText("Unreachable");
    await expect(page.getByTestId("nav-control-plane")).toBeVisible(); // the shell stays usable
  } finally {
    await gui.cp.startApi();
  }
  await page.getByTestId("retry").click();
  await expect(page.getByTestId("row-web-1")).toBeVisible();
  await expect(page.getByTestId("api-status")).toHaveText("Connected");
});

test("api-lost keeps the last data visible, says from when, and clears itself when the API is back", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/default/dataplanes"));
  await expect(page.getByTestId("row-web-1")).toBeVisible();
  await gui.cp.stopApi();
  try {
    await page.getByTestId("refresh").click();
    await expect(page.getByTestId("api-lost")).toBeVisible();
    await expect(page.getByTestId("stale-since")).toHaveText(
      /^Showing data from \d\d:\d\d:\d\d\.$/,
    );
    await expect(page.getByTestId("row-web-1")).toBeVisible();
    await expect(page.getByTestId("api-status")).toHaveText("Reconnecting");
  } finally {
    await gui.cp.startApi();
  }
  // The automatic retry (5 s) finds the API again.
  await expect(page.getByTestId("api-lost")).toHaveCount(0, { timeout: 10_000 });
  await expect(page.getByTestId("api-status")).toHaveText("Connected");
  await expect(page.getByTestId("row-web-1")).toBeVisible();
});

test("a 500 shows error-panel with the body's title, details and causes, and never not-found", async ({
  page,
}) => {
  await page.route("**/api/meshes/default/dataplanes+insights?*", (route) =>
    route.fulfill({
      status: 500,
      contentType: "application/json",
      body: JSON.stringify({
        title: "Could not retrieve resources",
        details: "Internal Server Error",
        causes: [{ field: "store", message: "exploded" }],
      }),
    }),
  );
  await page.goto(gui.url("/meshes/default/dataplanes"));
  const panel = page.getByTestId("error-panel");
  await expect(panel).toContainText("Could not retrieve resources");
  await expect(panel).toContainText("HTTP 500");
  await expect(panel.getByTestId("error-details")).toHaveText("Internal Server Error");
  await expect(panel.getByTestId("error-causes")).toHaveText("store: exploded");
  await expect(page.getByTestId("not-found")).toHaveCount(0);
  await page.unroute("**/api/meshes/default/dataplanes+insights?*");
  await panel.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("row-web-1")).toBeVisible();
});

test("a plain-text error body becomes the title; only a 404 is not found", async ({ page }) => {
  await page.route("**/api/meshes/default/traffic-routes?*", (route) =>
    route.fulfill({ status: 404, contentType: "text/plain", body: "404 page not found" }),
  );
  await page.route("**/api/meshes/default/traffic-logs?*", (route) =>
    route.fulfill({ status: 400, contentType: "text/plain", body: "bad things" }),
  );
  await page.goto(gui.url("/meshes/default/traffic-routes"));
  await expect(page.getByTestId("not-found")).toContainText("404 page not found");
  await page.goto(gui.url("/meshes/default/traffic-logs"));
  await expect(page.getByTestId("error-panel")).toContainText("bad things");
  await expect(page.getByTestId("not-found")).toHaveCount(0);
});

test("a 503 says the store is unavailable, like a lost API, with retry", async ({ page }) => {
  await page.goto(gui.url("/meshes/default/dataplanes"));
  await expect(page.getByTestId("row-web-1")).toBeVisible();
  await page.route("**/api/**", (route) =>
    route.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({
        title: "Could not retrieve resources",
        details: "Service Unavailable",
      }),
    }),
  );
  await page.getByTestId("refresh").click();
  await expect(page.getByTestId("api-lost")).toContainText(
    "The control plane's store is unavailable",
  );
  await expect(page.getByTestId("row-web-1")).toBeVisible();
  await page.unroute("**/api/**");
  await page.getByTestId("api-lost").getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("api-lost")).toHaveCount(0);
});

test("an aborted connection or a 502 mid-session is a lost API, not an error of the page", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/default/dataplanes"));
  await expect(page.getByTestId("row-web-1")).toBeVisible();
  await page.route("**/api/meshes/default/dataplanes+insights?*", (route) =>
    route.abort("connectionreset"),
  );
  await page.getByTestId("refresh").click();
  await expect(page.getByTestId("api-lost")).toBeVisible();
  await expect(page.getByTestId("error-panel")).toHaveCount(0);
  await page.unroute("**/api/meshes/default/dataplanes+insights?*");
  await page.getByTestId("api-lost").getByRole("button", { name: "Retry" }).click();
  await expect(page.getByTestId("api-lost")).toHaveCount(0);
});

test("3 s of latency shows the skeleton (after 200 ms, never before), then the data", async ({
  page,
}) => {
  await page.route("**/api/meshes/default/dataplanes+insights?*", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await route.continue();
  });
  await page.goto(gui.url("/meshes/default/dataplanes"));
  await expect(page.getByTestId("loading")).toBeVisible();
  await expect(page.getByTestId("row-web-1")).toBeVisible({ timeout: 6000 });
  await expect(page.getByTestId("loading")).toHaveCount(0);
});
