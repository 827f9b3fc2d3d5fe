/** User tokens in the GUI (auth.md §9): the browser is never the local admin; a token kept per tab; banners for 401 and 403. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

// The browser logs every refused request (403, 401) as a console error: expected here.
test.use({ allowConsoleErrors: true });

const gui = useControlPlane(
  { accessRules: [{ groups: ["mesh-system:authenticated"], verbs: ["read"], meshes: ["*"], types: ["*"] }] },
  async (cp) => seed(cp.client, mesh("default")),
);

test("a browser gets no admin rights through the GUI; a token in the settings opens what it may read", async ({ page }) => {
  await page.goto(gui.url("/meshes/default"));
  // The page reads several collections: the banner shows the details of the last refusal.
  await expect(page.getByTestId("auth-banner")).toContainText(
    /user "mesh-system:anonymous\/mesh-system:unauthenticated" cannot (get|list) the resource of type "\w+" in mesh "default"/,
  );
  const token = await gui.cp.client.issueUserToken({ name: "alice", validFor: "1h" });
  await page.getByTestId("token-settings").click();
  await page.getByTestId("token-input").fill(token);
  await page.getByTestId("token-save").click();
  await page.goto(gui.url("/meshes"));
  await expect(page.getByRole("link", { name: "default" }).first()).toBeVisible();
  await expect(page.getByTestId("auth-banner")).toHaveCount(0);
  // Kept for the tab only.
  expect(await page.evaluate(() => sessionStorage.getItem("kuma-gui.token"))).toBe(token);
  expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain(token);
  expect((await page.context().cookies()).map((cookie) => cookie.value).join()).not.toContain(token);
});

test("an invalid token shows the token banner", async ({ page }) => {
  await page.goto(gui.url("/meshes"));
  await page.getByTestId("token-settings").click();
  await page.getByTestId("token-input").fill("not-a-token");
  await page.getByTestId("token-save").click();
  await expect(page.getByTestId("auth-banner")).toContainText("Token invalid or expired");
});
