/** The shell and the cross-cutting checks of §7: deep links, the control plane page, not found, theme, legacy links. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, offlineDataplane, onlineDataplane, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const gui = useControlPlane({}, async ({ client }) => {
  await seed(
    client,
    mesh("default"),
    onlineDataplane("web-1", { outbounds: [{ port: 10001, service: "backend" }] }),
    offlineDataplane("backend-1"),
    {
      type: "TrafficRoute",
      mesh: "default",
      name: "route-1",
      sources: [{ match: { service: "web" } }],
      destinations: [{ match: { service: "backend" } }],
      conf: [{ weight: 100, destination: { service: "backend" } }],
    } as never,
  );
});

/** Every route of §5 with what shows that it rendered. */
const ROUTES: [string, string][] = [
  ["/", "card-meshes"],
  ["/meshes", "meshes-table"],
  ["/meshes/default", "mesh-overview"],
  ["/meshes/default?tab=yaml", "resource-code"],
  ["/meshes/default/dataplanes", "dataplanes-table"],
  ["/meshes/default/dataplanes/web-1", "dataplane-overview"],
  ["/meshes/default/dataplanes/web-1?tab=xds", "subscriptions"],
  ["/meshes/default/dataplanes/web-1?tab=policies", "policy-cards"],
  ["/meshes/default/dataplanes/web-1?tab=yaml", "resource-code"],
  ["/meshes/default/traffic-routes", "traffic-routes-table"],
  ["/meshes/default/traffic-routes/route-1", "policy-overview"],
  ["/meshes/default/traffic-routes/route-1?tab=dataplanes", "affected-dataplanes"],
  ["/meshes/default/traffic-routes/route-1?tab=yaml", "resource-code"],
  ["/meshes/default/health-checks", "empty"],
  ["/control-plane", "config-tree"],
  ["/nope", "not-found"],
];

test("every route loads by its URL and again after reload, with no console error", async ({
  page,
}) => {
  for (const [path, testid] of ROUTES) {
    await page.goto(gui.url(path));
    await expect(page.getByTestId(testid), path).toBeVisible();
    await page.reload();
    await expect(page.getByTestId(testid), `${path} after reload`).toBeVisible();
  }
});

test("/nope answers index.html and shows the not-found view with links to / and /meshes", async ({
  page,
}) => {
  const response = await page.goto(gui.url("/nope"));
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId("not-found")).toContainText("There is no page at /nope");
  await expect(
    page.getByTestId("not-found").getByRole("link", { name: "Overview" }),
  ).toHaveAttribute("href", "/");
  await expect(page.getByTestId("not-found").getByRole("link", { name: "Meshes" })).toHaveAttribute(
    "href",
    "/meshes",
  );
});

test("the control plane page warns about the memory store and its tree search finds apiServer.readOnly", async ({
  page,
  context,
}) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: gui.cp.guiUrl });
  await page.goto(gui.url("/control-plane"));
  await expect(page.getByTestId("memory-store-warning")).toContainText("data is lost on restart");
  await expect(page.getByTestId("cp-version")).toHaveText(/^\d+\.\d+\.\d+/);
  await page.getByTestId("config-search").fill("readOnly");
  await expect(page.getByTestId("config-match")).toHaveText(["apiServer.readOnly: false"]);
  await page.getByTestId("config-copy").click();
  expect(JSON.parse(await page.evaluate(() => navigator.clipboard.readText()))).toHaveProperty(
    "apiServer.readOnly",
    false,
  );
});

test("the header shows the version and environment, and Connected", async ({ page }) => {
  await page.goto(gui.url("/"));
  await expect(page.getByTestId("version")).toHaveText(/^Kuma \d+\.\d+\.\d+ · universal$/);
  await expect(page.getByTestId("api-status")).toHaveText("Connected");
  await expect(page.getByTestId("read-only")).toHaveCount(0);
});

test("status cells carry text, not only colour", async ({ page }) => {
  await page.goto(gui.url("/meshes/default/dataplanes"));
  for (const status of await page.getByTestId("status").all()) {
    expect((await status.textContent())?.trim()).toMatch(
      /^(Online|Online \(stale\?\)|Offline|Never connected)$/,
    );
  }
});

test("the dark theme sets data-theme=dark on <html> and persists across reload", async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(gui.url("/"));
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await page.getByTestId("theme-dark").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await page.goto(gui.url("/meshes/default/dataplanes"));
  await expect(page.getByTestId("dataplanes-table")).toBeVisible();
  await page.screenshot({ path: "test-results/dataplanes-dark.png" });
  await page.getByTestId("theme-system").click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
});

test("a 0.4-era bookmark /#/default/dataplanes lands on /meshes/default/dataplanes", async ({
  page,
}) => {
  await page.goto(gui.url("/#/default/dataplanes"));
  await expect(page).toHaveURL(gui.url("/meshes/default/dataplanes"));
  await expect(page.getByTestId("dataplanes-table")).toBeVisible();
  await page.goto(gui.url("/#/default/overview"));
  await expect(page).toHaveURL(gui.url("/meshes/default"));
});

test("changing the mesh keeps the kind of page and drops paging and filters", async ({ page }) => {
  await seed(gui.cp.client, mesh("other"));
  await page.goto(gui.url("/meshes/default/traffic-routes?size=10"));
  await page.getByTestId("mesh-selector").selectOption("other");
  await expect(page).toHaveURL(gui.url("/meshes/other/traffic-routes"));
  await expect(page.getByTestId("empty")).toBeVisible();
});
