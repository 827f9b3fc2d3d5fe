import { Type, type Static } from "@sinclair/typebox";
import type { ServerConfig } from "./schema.js";

const Url = (description: string) => Type.String({ description });
const Closed = { additionalProperties: false } as const;

/**
 * The URLs of the control plane's other APIs, as `/catalog` shows them
 * (derived from the configuration). Kuma 0.4's four entries, then `openapi`:
 * where the API's own OpenAPI document is (Kuma 0.4's tools ignore it).
 */
export const Catalog = Type.Object(
  {
    apis: Type.Object(
      {
        bootstrap: Type.Object({ url: Url("the bootstrap server") }, Closed),
        dataplaneToken: Type.Object(
          {
            localUrl: Url("the dataplane token server on localhost, or empty"),
            publicUrl: Url("the public one, or empty"),
          },
          Closed,
        ),
        admin: Type.Object(
          {
            localUrl: Url("the admin server on localhost"),
            publicUrl: Url("the public admin server, or empty"),
          },
          Closed,
        ),
        monitoringAssignment: Type.Object(
          { url: Url("the monitoring assignment server (gRPC)") },
          Closed,
        ),
        openapi: Type.Object(
          { url: Url("the OpenAPI document of this API (`GET /openapi.json`)") },
          Closed,
        ),
      },
      Closed,
    ),
  },
  { ...Closed, $id: "Catalog" },
);
export type Catalog = Static<typeof Catalog>;

/**
 * Derives the catalog (config.md, last paragraph). `openapi` is on `apiUrl`,
 * the address a client reached the API at (`http://host:port`), or else on
 * `http://{advertisedHostname}:{apiServer.port}`.
 */
export function catalogOf(config: ServerConfig, apiUrl?: string): Catalog {
  const host = config.general.advertisedHostname;
  const admin = config.adminServer;
  const localUrl = `http://localhost:${admin.local.port}`;
  const publicUrl = admin.public.enabled ? `https://${host}:${admin.public.port}` : "";
  const tokenEnabled = admin.apis.dataplaneToken.enabled;
  return {
    apis: {
      bootstrap: { url: `http://${host}:${config.bootstrapServer.port}` },
      dataplaneToken: {
        localUrl: tokenEnabled ? localUrl : "",
        publicUrl: tokenEnabled ? publicUrl : "",
      },
      admin: { localUrl, publicUrl },
      monitoringAssignment: { url: `grpc://${host}:${config.monitoringAssignmentServer.grpcPort}` },
      openapi: { url: `${apiUrl ?? `http://${host}:${config.apiServer.port}`}/openapi.json` },
    },
  };
}
