/** A read-only control plane (`apiServer.readOnly: true`): the header says so. */
import { useControlPlane } from "./harness/control-plane-per-file.js";
import { mesh, seed } from "./harness/fixtures.js";
import { expect, test } from "./harness/test.js";

const gui = useControlPlane({}, async (cp) => {
  await seed(cp.client, mesh("default"));
  await cp.startApi({ readOnly: true }); // seeded first: a read-only API refuses every PUT
});

test("the read-only badge shows when the API is read-only", async ({ page }) => {
  await page.goto(gui.url("/"));
  await expect(page.getByTestId("read-only")).toHaveText("Read-only");
  await page.goto(gui.url("/control-plane"));
  await expect(page.getByTestId("cp-read-only")).toHaveText("yes");
});
