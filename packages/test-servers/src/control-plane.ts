/** The real control plane (memory store) on a free loopback port, for end-to-end tests of the client and kumactl. */
import { defaultServerConfig, type ServerConfig } from "@kuma-ts/model";
import { startServer } from "@kuma-ts/server";
import { createMemoryStore } from "@kuma-ts/store";

/** A running control plane. */
export interface TestControlPlane {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts kuma-cp in this process with a fresh memory store; the default mesh
 * exists once it resolves (unless `withoutDefaultMesh`).
 */
export async function startControlPlane(
  options: {
    withoutDefaultMesh?: boolean;
    /** Changes to the configuration (e.g. access rules), applied last. */
    configure?: (config: ServerConfig) => ServerConfig;
  } = {},
): Promise<TestControlPlane> {
  const defaults = defaultServerConfig();
  const config: ServerConfig = {
    ...defaults,
    defaults: { ...defaults.defaults, skipMeshCreation: options.withoutDefaultMesh ?? false },
    apiServer: { ...defaults.apiServer, port: 0, interface: "127.0.0.1" },
    diagnostics: { ...defaults.diagnostics, port: 0, interface: "127.0.0.1" },
    guiServer: { port: 0 },
  };
  const store = createMemoryStore();
  const server = await startServer({ config: options.configure ? options.configure(config) : config, store });
  return {
    url: server.apiUrl,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}
