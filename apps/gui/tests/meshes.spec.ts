/** P2, the meshes page: paging by the API, in the URL, with the keyboard. */
import { MeshType } from "@kuma-ts/model";
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, seed } from "./harness/fixtures.js";
import { expect, isWatchRequest, test } from "./harness/test.js";

const gui = useControlPlane({}, async ({ client }) => {
  await seed(
    client,
    ...Array.from({ length: 30 }, (_, i) =>
      mesh(
        `mesh-${String(i).padStart(2, "0")}`,
        i === 0
          ? {
              logging: {
                defaultBackend: "file-1",
                backends: [{ name: "file-1", file: { path: "/var/log/a" } }],
              },
              metrics: { prometheus: { port: 5670, path: "/metrics" } },
            }
          : {},
      ),
    ),
  );
});

const rows = "[data-testid=meshes-table] tbody tr";

test("30 meshes with size 25: 25 rows and Next; Next shows 5 with offset in the URL; reload keeps page 2; Back returns to page 1", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes"));
  await expect(page.locator(rows)).toHaveCount(25);
  await expect(page.getByTestId("next-page")).toBeEnabled();
  await page.getByTestId("next-page").click();
  await expect(page.locator(rows)).toHaveCount(5);
  expect(page.url()).toContain("offset=");
  await page.reload();
  await expect(page.locator(rows)).toHaveCount(5);
  await expect(page.getByTestId("row-mesh-29")).toBeVisible();
  await page.goBack();
  await expect(page.locator(rows)).toHaveCount(25);
  expect(page.url()).not.toContain("offset=");
});

test("a mesh's row says its mTLS, backends and metrics", async ({ page }) => {
  await page.goto(gui.url("/meshes"));
  const row = page.getByTestId("row-mesh-00");
  await expect(row).toContainText("off");
  await expect(row).toContainText("1 (default: file-1)");
  await expect(row).toContainText("prometheus :5670/metrics");
});

test("paging works with the keyboard alone: Tab to Next, Enter; then Previous and First page", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes?size=10"));
  await expect(page.locator(rows)).toHaveCount(10);
  await page.getByTestId("next-page").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("row-mesh-10")).toBeVisible();
  await page.getByTestId("next-page").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("row-mesh-20")).toBeVisible();
  await page.getByTestId("previous-page").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("row-mesh-10")).toBeVisible();
  await page.getByTestId("first-page").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("row-mesh-00")).toBeVisible();
  // The size chooser too.
  await page.getByTestId("page-size").selectOption("25");
  await expect(page.locator(rows)).toHaveCount(25);
});

test("the page and the mesh selector share one watch; a mesh changed through the API updates its row within 2 s, with no list request", async ({
  page,
  apiLog,
}) => {
  await page.goto(gui.url("/meshes"));
  const row = page.getByTestId("row-mesh-03");
  await expect(row).toContainText("off");
  await expect(page.getByTestId("live-state")).toHaveText("push");
  await apiLog.settled();
  expect(apiLog.all.filter((r) => isWatchRequest(r.path)).map((r) => r.path)).toEqual([
    "/meshes?watch=true",
  ]);
  apiLog.clear();
  await gui.cp.client
    .resources(MeshType)
    .put(mesh("mesh-03", { mtls: { enabled: true, ca: { builtin: {} } } }));
  await expect(row.locator("td").nth(1)).toHaveText("on (builtin CA)", { timeout: 2000 });
  expect(apiLog.all.map((r) => r.path).filter((path) => path.startsWith("/meshes?"))).toEqual([]);
  await gui.cp.client.resources(MeshType).put(mesh("mesh-03"));
});
