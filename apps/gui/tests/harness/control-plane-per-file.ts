/** One control plane for a test file: started before its first test, closed after its last. */
import { test } from "@playwright/test";
import {
  startGuiControlPlane,
  type GuiControlPlane,
  type GuiControlPlaneOptions,
} from "./control-plane.js";

export function useControlPlane(
  options: GuiControlPlaneOptions = {},
  seedIt?: (cp: GuiControlPlane) => Promise<void>,
) {
  let cp: GuiControlPlane | undefined;
  test.beforeAll(async () => {
    cp = await startGuiControlPlane(options);
    await seedIt?.(cp);
  });
  test.afterAll(async () => {
    await cp?.close();
  });
  return {
    get cp(): GuiControlPlane {
      if (!cp) throw new Error("the control plane is not started");
      return cp;
    },
    /** The GUI's URL of a path. */
    url: (path: string): string => {
      if (!cp) throw new Error("the control plane is not started");
      return cp.guiUrl + path;
    },
  };
}
