/**
 * Live updates (§6) by conditional polling, what the GUI does whenever the
 * change feed is refused: If-None-Match and 304 for items, a body hash for
 * lists, rows kept in place, nothing while hidden or with Live off.
 */
import { TrafficRouteType, type TrafficRoute } from "@kuma-ts/model";
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const route = (name: string, weight = 100): TrafficRoute => ({
  type: "TrafficRoute",
  mesh: "default",
  name,
  sources: [{ match: { service: "web" } }],
  destinations: [{ match: { service: "backend" } }],
  conf: [
    { weight, destination: { service: "backend", version: "v1" } },
    { weight: 100 - weight, destination: { service: "backend", version: "v2" } },
  ],
});

const gui = useControlPlane({}, async ({ client }) => {
  await seed(client, mesh("default"), route("route-a"), route("route-b"), route("route-c"));
});

/** Poll period (5 s) plus slack. */
const POLL_WAIT_MS = 7000;
const QUIET_MS = 15_000;

test("a changed policy updates its row in place: the Modified cell flashes, the order stays", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/default/traffic-routes"));
  const names = page.locator("tbody tr td:first-child a");
  await expect(names).toHaveText(["route-a", "route-b", "route-c"]);
  await gui.cp.client.resources(TrafficRouteType).put(route("route-b", 60));
  const row = page.getByTestId("row-route-b");
  await expect(row.getByTestId("route-split")).toHaveText("v1 60 % · v2 40 %", {
    timeout: POLL_WAIT_MS,
  });
  await expect(row.locator("td.flash").first()).toBeAttached();
  await expect(names).toHaveText(["route-a", "route-b", "route-c"]);
});

test("new items show the changes pill instead of being inserted; deleted ones grey out", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/default/traffic-routes"));
  await expect(page.locator("tbody tr")).toHaveCount(3);
  await gui.cp.client.resources(TrafficRouteType).put(route("route-aa"));
  await gui.cp.client.resources(TrafficRouteType).delete({ mesh: "default", name: "route-c" });
  await expect(page.getByTestId("changes-pill")).toHaveText("1 change — refresh", {
    timeout: POLL_WAIT_MS,
  });
  await expect(page.locator("tbody tr")).toHaveCount(3);
  await expect(page.getByTestId("row-route-c")).toHaveClass(/deleted/);
  await expect(page.getByTestId("row-route-c")).toContainText("deleted");
  await page.getByTestId("changes-pill").click();
  await expect(page.locator("tbody tr td:first-child a")).toHaveText([
    "route-a",
    "route-aa",
    "route-b",
  ]);
  await expect(page.getByTestId("changes-pill")).toHaveCount(0);
});

test("an unchanged resource is re-read with If-None-Match, answered 304, and the page does not change", async ({
  page,
  apiLog,
}) => {
  await page.goto(gui.url("/meshes/default/traffic-routes/route-a"));
  await expect(page.getByTestId("policy-overview")).toBeVisible();
  await page.evaluate(() => {
    const w = window as unknown as { mutations: string[] };
    w.mutations = [];
    new MutationObserver((records) => {
      for (const record of records) {
        const inside = (
          record.target instanceof Element ? record.target : record.target.parentElement
        )?.closest("[data-testid]");
        w.mutations.push(inside?.getAttribute("data-testid") ?? "?");
      }
    }).observe(document.querySelector("main")!, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
    });
  });
  apiLog.clear();
  const conditional = page.waitForResponse(
    (response) =>
      response.url().endsWith("/api/meshes/default/traffic-routes/route-a") &&
      response.status() === 304,
    { timeout: POLL_WAIT_MS },
  );
  const answer = await conditional;
  expect(answer.request().headers()["if-none-match"]).toMatch(/^".+"$/);
  const mutated = await page.evaluate(
    () => (window as unknown as { mutations: string[] }).mutations,
  );
  // Only "Updated just now" may change.
  expect(mutated.filter((testid) => testid !== "updated-at")).toEqual([]);
});

test("while the page is hidden nothing is polled for 15 s; visible again, it reads at once", async ({
  page,
  apiLog,
}) => {
  await page.goto(gui.url("/meshes/default/traffic-routes"));
  await expect(page.getByTestId("row-route-a")).toBeVisible();
  await expect(page.getByTestId("live-state")).toHaveText("polling");
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  apiLog.clear();
  await page.waitForTimeout(QUIET_MS);
  expect(apiLog.all.map((r) => r.path)).toEqual([]);
  await page.evaluate(() => {
    Object.defineProperty(document, "hidden", { configurable: true, get: () => false });
    Object.defineProperty(document, "visibilityState", {
      configurable: true,
      get: () => "visible",
    });
    document.dispatchEvent(new Event("visibilitychange"));
  });
  await expect.poll(() => apiLog.all.length, { timeout: 1000 }).toBeGreaterThan(0);
});

test("with Live off nothing is requested for 15 s, and Refresh still works", async ({
  page,
  apiLog,
}) => {
  await page.goto(gui.url("/meshes/default/traffic-routes"));
  await expect(page.getByTestId("row-route-a")).toBeVisible();
  await page.getByTestId("live-off").click();
  apiLog.clear();
  await page.waitForTimeout(QUIET_MS);
  expect(apiLog.all.map((r) => r.path)).toEqual([]);
  await page.reload(); // the choice is kept
  await expect(page.getByTestId("live-off")).toHaveAttribute("aria-pressed", "true");
  apiLog.clear();
  await page.getByTestId("refresh").click();
  await expect
    .poll(() => apiLog.all.map((r) => r.path))
    .toContain("/meshes/default/traffic-routes?size=25");
  await page.getByTestId("live-on").click();
});
