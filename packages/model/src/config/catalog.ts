import type { ServerConfig } from "./schema.js";

/** The URLs of the control plane's other APIs, as `/catalog` shows them (derived from the configuration). */
export interface Catalog {
  apis: {
    bootstrap: { url: string };
    dataplaneToken: { localUrl: string; publicUrl: string };
    admin: { localUrl: string; publicUrl: string };
    monitoringAssignment: { url: string };
  };
}

/** Derives the catalog (config.md, last paragraph). */
export function catalogOf(config: ServerConfig): Catalog {
  const host = config.general.advertisedHostname;
  const admin = config.adminServer;
  const localUrl = `http://localhost:${admin.local.port}`;
  const publicUrl = admin.public.enabled ? `https://${host}:${admin.public.port}` : "";
  const tokenEnabled = admin.apis.dataplaneToken.enabled;
  return {
    apis: {
      bootstrap: { url: `http://${host}:${config.bootstrapServer.port}` },
      dataplaneToken: { localUrl: tokenEnabled ? localUrl : "", publicUrl: tokenEnabled ? publicUrl : "" },
      admin: { localUrl, publicUrl },
      monitoringAssignment: { url: `grpc://${host}:${config.monitoringAssignmentServer.grpcPort}` },
    },
  };
}
