/**
 * Live updates (§6): the change feed (a watch from the list's resume token:
 * changes within 2 s, no new list request, rows kept in place, resumed after
 * the API comes back) and conditional polling, what the GUI does whenever
 * the feed is refused (If-None-Match and 304 for items, a body hash for
 * lists, nothing while hidden or with Live off).
 */
import { DataplaneInsightType, TrafficRouteType, type TrafficRoute } from "@kuma-ts/model";
import type { Page } from "@playwright/test";
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, offlineDataplane, onlineDataplane, seed } from "./harness/fixtures.js";
import {
  expect,
  FEED_WAIT_MS,
  isWatchRequest,
  openWatches,
  test,
  type ApiLog,
  type ApiRequest,
} from "./harness/test.js";

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
  await seed(
    client,
    mesh("default"),
    route("route-a"),
    route("route-b"),
    route("route-c"),
    onlineDataplane("web-1"),
  );
});

/** Poll period (5 s) plus slack. */
const POLL_WAIT_MS = 7000;
const QUIET_MS = 15_000;

/** Refuses every watch with 503 `Too many watches`: the GUI falls back to polling. */
async function refuseWatches(page: Page): Promise<void> {
  await page.route("**/api/**", (intercepted) => {
    const url = new URL(intercepted.request().url());
    if (!isWatchRequest(url.pathname.slice(4) + url.search)) return intercepted.fallback();
    return intercepted.fulfill({
      status: 503,
      contentType: "application/json",
      body: JSON.stringify({ title: "Service Unavailable", details: "Too many watches" }),
    });
  });
}

/** The watches of the mesh `default` (the selector's `/meshes?watch=true` aside). */
function meshWatches(apiLog: ApiLog): ApiRequest[] {
  return apiLog.all.filter((r) => isWatchRequest(r.path) && r.path.startsWith("/meshes/default/"));
}

/** Waits until the page's watch of the mesh is open (answered; the header says `push`). */
async function feedOpen(page: Page, apiLog: ApiLog): Promise<void> {
  await expect(page.getByTestId("live-state")).toHaveText("push");
  await expect.poll(() => meshWatches(apiLog).length).toBeGreaterThan(0);
  await meshWatches(apiLog).at(-1)!.request.response();
}

test.describe("with the change feed", () => {
  test("a changed policy updates its row in place within 2 s, with no new list request; the order stays", async ({
    page,
    apiLog,
  }) => {
    await page.goto(gui.url("/meshes/default/traffic-routes"));
    const names = page.locator("tbody tr td:first-child a");
    await expect(names).toHaveText(["route-a", "route-b", "route-c"]);
    await feedOpen(page, apiLog);
    expect(meshWatches(apiLog).map((r) => r.path)).toEqual([
      "/meshes/default/events?type=TrafficRoute",
    ]);
    const modified = page.getByTestId("row-route-b").getByTestId("modified").locator("time");
    const before = await modified.getAttribute("datetime");
    apiLog.clear();
    await gui.cp.client.resources(TrafficRouteType).put(route("route-b", 60));
    const row = page.getByTestId("row-route-b");
    await expect(row.getByTestId("route-split")).toHaveText("v1 60 % · v2 40 %", {
      timeout: FEED_WAIT_MS,
    });
    await expect(modified).not.toHaveAttribute("datetime", before ?? "", { timeout: FEED_WAIT_MS });
    await expect(row.locator("td.flash").first()).toBeAttached();
    await expect(names).toHaveText(["route-a", "route-b", "route-c"]);
    expect(apiLog.all.map((r) => r.path)).toEqual([]);
    await gui.cp.client.resources(TrafficRouteType).put(route("route-b"));
  });

  test("an open policy page updates in place within 2 s, and says so when the policy is deleted", async ({
    page,
    apiLog,
  }) => {
    const routes = gui.cp.client.resources(TrafficRouteType);
    await routes.put(route("route-live"));
    await page.goto(gui.url("/meshes/default/traffic-routes/route-live"));
    await expect(page.getByTestId("policy-overview")).toBeVisible();
    await feedOpen(page, apiLog);
    expect(meshWatches(apiLog).map((r) => r.path)).toEqual([
      "/meshes/default/events?type=TrafficRoute",
    ]);
    apiLog.clear();
    await routes.put(route("route-live", 80));
    await expect(page.getByTestId("policy-overview").getByTestId("route-split")).toHaveText(
      "v1 80 % · v2 20 %",
      { timeout: FEED_WAIT_MS },
    );
    await routes.delete({ mesh: "default", name: "route-live" });
    await expect(page.getByTestId("resource-deleted")).toHaveText("This resource was deleted.", {
      timeout: FEED_WAIT_MS,
    });
    await expect(page.getByTestId("policy-overview")).toBeVisible(); // the last data stays
    expect(apiLog.all.map((r) => r.path)).toEqual([]);
  });

  test.describe("on a detail page", () => {
    // Stopping the API makes the browser log the failed requests.
    test.use({ allowConsoleErrors: true });

    test("the open dataplane page follows a PUT within 2 s with no list request; one watch of the mesh at most; it resumes after the API is back", async ({
      page,
      apiLog,
    }) => {
      // Watches of the mesh open at once, at most.
      const meshWatchesOpen = openWatches(page, (path) => path.startsWith("/meshes/default/"));

      await page.goto(gui.url("/meshes/default/dataplanes/web-1"));
      await expect(page.getByTestId("status-sentence")).toContainText("Online");
      await feedOpen(page, apiLog);
      const watches = () => meshWatches(apiLog);
      // From the token of a one-item list read just before (an item GET has none): no snapshot.
      expect(watches().map((r) => r.path)).toEqual([
        "/meshes/default/dataplanes+insights?watch=true",
      ]);
      const since = watches()[0]!.headers["last-event-id"];
      expect(since).toBeTruthy();
      apiLog.clear();
      await gui.cp.client.resources(DataplaneInsightType).put(offlineDataplane("web-1")[1]!);
      await expect(page.getByTestId("status-sentence")).toContainText("Offline", {
        timeout: FEED_WAIT_MS,
      });
      expect(apiLog.all.map((r) => r.path)).toEqual([]);

      // The API stops mid-stream: api-lost, the data stays; back, the watch resumes where it was.
      await gui.cp.stopApi();
      try {
        await expect(page.getByTestId("api-lost")).toBeVisible({ timeout: 10_000 });
        await expect(page.getByTestId("status-sentence")).toContainText("Offline");
      } finally {
        await gui.cp.startApi();
      }
      await expect(page.getByTestId("api-lost")).toHaveCount(0, { timeout: 15_000 });
      // Resumed from the token of the last event seen, not from the start.
      await expect
        .poll(
          () =>
            watches().filter((r) => ![undefined, since].includes(r.headers["last-event-id"]))
              .length,
          { timeout: 10_000 },
        )
        .toBeGreaterThan(0);
      await gui.cp.client.resources(DataplaneInsightType).put(onlineDataplane("web-1")[1]!);
      await expect(page.getByTestId("status-sentence")).toContainText("Online", {
        timeout: 10_000,
      });
      expect(
        watches().every((r) => r.path.startsWith("/meshes/default/dataplanes+insights?")),
      ).toBe(true);
      // No reload of the document, never two watches of the mesh at once.
      expect(await page.evaluate(() => performance.getEntriesByType("navigation").length)).toBe(1);
      expect(meshWatchesOpen.most()).toBe(1);
    });
  });
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

test.describe("in polling fallback", () => {
  // The refused watches (503) are logged by the browser.
  test.use({ allowConsoleErrors: true });

  test("an unchanged resource is re-read with If-None-Match, answered 304, and the page does not change", async ({
    page,
    apiLog,
  }) => {
    await refuseWatches(page);
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

  test("a changed policy still shows, in place, within the poll period", async ({ page }) => {
    await refuseWatches(page);
    await page.goto(gui.url("/meshes/default/traffic-routes"));
    const names = page.locator("tbody tr td:first-child a");
    await expect(page.getByTestId("row-route-b")).toBeVisible();
    await expect(page.getByTestId("live-state")).toHaveText("polling");
    const order = await names.allTextContents();
    await gui.cp.client.resources(TrafficRouteType).put(route("route-b", 70));
    await expect(page.getByTestId("row-route-b").getByTestId("route-split")).toHaveText(
      "v1 70 % · v2 30 %",
      { timeout: POLL_WAIT_MS },
    );
    await expect(names).toHaveText(order);
    await gui.cp.client.resources(TrafficRouteType).put(route("route-b"));
  });

  test("while the page is hidden nothing is polled for 15 s; visible again, it reads at once", async ({
    page,
    apiLog,
  }) => {
    await refuseWatches(page);
    await page.goto(gui.url("/meshes/default/traffic-routes"));
    await expect(page.getByTestId("row-route-a")).toBeVisible();
    await expect(page.getByTestId("live-state")).toHaveText("polling");
    await page.evaluate(() => {
      Object.defineProperty(document, "hidden", { configurable: true, get: () => true });
      Object.defineProperty(document, "visibilityState", {
        configurable: true,
        get: () => "hidden",
      });
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
