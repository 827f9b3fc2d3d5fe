/** P5, one dataplane: status with its explanation, xDS counters, the policies that apply, YAML. */
import { TrafficRouteType } from "@kuma-ts/model";
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { dataplane, mesh, offlineDataplane, onlineDataplane, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const route = (name: string, from: Record<string, string>, version: string, weights = [100]) => ({
  type: "TrafficRoute" as const,
  mesh: "demo",
  name,
  sources: [{ match: from }],
  destinations: [{ match: { service: "backend" } }],
  conf: weights.map((weight, i) => ({
    weight,
    destination: { service: "backend", version: `${version}${i || ""}` },
  })),
});

const gui = useControlPlane({}, async ({ client }) => {
  await seed(
    client,
    mesh("demo"),
    mesh("secure", { mtls: { enabled: true, ca: { builtin: {} } } }),
    onlineDataplane("web-1", {
      mesh: "demo",
      outbounds: [{ port: 10001, service: "backend" }],
      counters: [{ sent: 9, rejected: 4 }],
    }),
    offlineDataplane("backend-1", { mesh: "demo" }),
    [dataplane("api-1", { mesh: "secure", address: "10.1.0.1", port: 7070 })],
  );
  await client.resources(TrafficRouteType).put(route("tr-any", { service: "*" }, "v1"));
  await client.resources(TrafficRouteType).put(route("tr-web", { service: "web" }, "v", [90, 10]));
});

test("an offline dataplane says Offline, when it was last connected, and its last disconnect time", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/demo/dataplanes/backend-1"));
  await expect(page.getByTestId("status")).toHaveText("Offline");
  await expect(page.getByTestId("status-sentence")).toHaveText(
    "Offline — last connected 3 h ago to control plane cp-1",
  );
  await expect(page.getByTestId("last-disconnect")).toHaveText("3 h ago");
  await expect(page.getByTestId("last-disconnect").locator("time")).toHaveAttribute(
    "title",
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/,
  );
});

test("the xDS tab highlights a NACK count above zero and lists subscriptions newest first", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/demo/dataplanes/web-1?tab=xds"));
  const rows = page.getByTestId("subscriptions").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first().getByTestId("xds-total")).toHaveText("9 / 5 / 4");
  await expect(rows.first().getByTestId("xds-total").getByTestId("nack")).toHaveClass(/nack/);
});

test("a dataplane that never connected says so on the xDS tab", async ({ page }) => {
  await page.goto(gui.url("/meshes/secure/dataplanes/api-1?tab=xds"));
  await expect(page.getByTestId("never-connected")).toContainText(
    "This dataplane has never connected to the control plane",
  );
});

test("under mTLS with no permission the inbound card says deny-all, in red", async ({ page }) => {
  await page.goto(gui.url("/meshes/secure/dataplanes/api-1?tab=policies"));
  const inbound = page.getByTestId("attachment-inbound");
  await expect(inbound).toContainText("10.1.0.1:7070:80 (api)");
  await expect(inbound.locator(".deny-all")).toContainText("deny-all");
});

test("a stored route shows its split on the outbound card, and Why? lists the losing route with its rank", async ({
  page,
}) => {
  await page.goto(gui.url("/meshes/demo/dataplanes/web-1?tab=policies"));
  const outbound = page.getByTestId("attachment-outbound");
  await expect(outbound).toContainText("127.0.0.1:10001 → backend");
  await expect(outbound).toContainText("Route: v 90 % · v1 10 %");
  await expect(outbound.getByRole("link", { name: "tr-web" })).toHaveAttribute(
    "href",
    "/meshes/demo/traffic-routes/tr-web",
  );
  await page.getByTestId("explain").check();
  const candidates = outbound.getByTestId("candidates");
  await expect(candidates.locator("tr", { hasText: "tr-any" })).toContainText("(1, 1)");
  await expect(candidates.locator("tr", { hasText: "tr-any" })).toContainText("lost");
  await expect(candidates.locator("tr", { hasText: "tr-web" })).toContainText("selected");
});

test("the tab is in the URL and survives reload; tabs work with the keyboard", async ({ page }) => {
  await page.goto(gui.url("/meshes/demo/dataplanes/web-1"));
  await expect(page.getByTestId("dataplane-overview")).toBeVisible();
  await page.getByTestId("tab-yaml").focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/tab=yaml/);
  await expect(page.getByTestId("resource-code")).toContainText("type: Dataplane");
  await page.reload();
  await expect(page.getByTestId("resource-code")).toContainText("name: web-1");
  await page.getByTestId("include-insight").check();
  await expect(page.getByTestId("resource-code")).toContainText("type: DataplaneOverview");
  await expect(page.getByTestId("resource-code")).toContainText('responsesRejected: "4"');
});

test.describe("a missing dataplane", () => {
  test.use({ allowConsoleErrors: true });

  test("is not found in its mesh", async ({ page }) => {
    await page.goto(gui.url("/meshes/demo/dataplanes/nope"));
    await expect(page.getByTestId("not-found")).toContainText(
      "Dataplane 'nope' not found in mesh 'demo'",
    );
  });
});
