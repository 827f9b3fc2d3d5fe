/**
 * A real kuma-cp in this process for the browser tests: the API on a free
 * port over a memory store, and the GUI server (this package's build) on
 * another, proxying to it. The API can be stopped while the GUI server
 * stays up (the browser then gets 502s) and started again on the same port
 * with the same data.
 */
import type http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { createClient, type KumaClient } from "@kuma-ts/client";
import { defaultServerConfig, type ServerConfig } from "@kuma-ts/model";
import { createGuiServer, startServer, type RunningServer } from "@kuma-ts/server";
import { createMemoryStore } from "@kuma-ts/store";

/** This package's build: the GUI under test. */
export const GUI_DIST = fileURLToPath(new URL("../../dist/", import.meta.url));

export interface GuiControlPlane {
  /** `http://127.0.0.1:<port>` of the GUI. */
  readonly guiUrl: string;
  /** The typed client on the API itself, to seed and change data. */
  readonly client: KumaClient;
  /** Stops the API listener; the GUI server stays up. */
  stopApi(): Promise<void>;
  /** Starts the API again on its port, over the same store. */
  startApi(options?: { readOnly?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export interface GuiControlPlaneOptions {
  readonly readOnly?: boolean;
  /** Create the `default` mesh at start-up (off by default: tests seed what they need). */
  readonly defaultMesh?: boolean;
  /** `access.static.resources.rules` (the default lets everyone do everything). */
  readonly accessRules?: ServerConfig["access"]["static"]["resources"]["rules"];
}

export async function startGuiControlPlane(
  options: GuiControlPlaneOptions = {},
): Promise<GuiControlPlane> {
  const store = createMemoryStore();
  const defaults = defaultServerConfig();
  const configOf = (port: number, readOnly: boolean): ServerConfig => ({
    ...defaults,
    defaults: { ...defaults.defaults, skipMeshCreation: !(options.defaultMesh ?? false) },
    apiServer: { ...defaults.apiServer, port, interface: "127.0.0.1", readOnly },
    diagnostics: { ...defaults.diagnostics, port: 0, interface: "127.0.0.1" },
    guiServer: { port: 0 }, // the GUI server below serves this package's build
    ...(options.accessRules
      ? {
          access: {
            ...defaults.access,
            static: { ...defaults.access.static, resources: { rules: options.accessRules } },
          },
        }
      : {}),
  });
  let api: RunningServer | undefined = await startServer({
    config: configOf(0, options.readOnly ?? false),
    store,
  });
  const apiUrl = api.apiUrl;
  const apiPort = Number(new URL(apiUrl).port);

  const gui = createGuiServer({ apiUrl, staticDir: GUI_DIST, environment: "universal" });
  await new Promise<void>((resolve) => gui.listen(0, "127.0.0.1", resolve));
  const guiUrl = `http://127.0.0.1:${(gui.address() as AddressInfo).port}`;

  return {
    guiUrl,
    client: createClient({ baseUrl: apiUrl }),
    async stopApi() {
      await api?.close();
      api = undefined;
    },
    async startApi(restart = {}) {
      await api?.close();
      api = await startServer({ config: configOf(apiPort, restart.readOnly ?? false), store });
    },
    async close() {
      await api?.close();
      await closeServer(gui);
      await store.close();
    },
  };
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}
