/** The resources the benchmarks create: realistic dataplanes and their insights. */

/** `dp-000042`: fixed width, so that name order is creation order. */
export const dataplaneName = (i: number): string => `dp-${String(i).padStart(6, "0")}`;

/** A dataplane like the examples': one inbound with three tags, two outbounds. */
export function dataplane(mesh: string, i: number): Record<string, unknown> {
  return {
    type: "Dataplane",
    mesh,
    name: dataplaneName(i),
    networking: {
      address: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      inbound: [
        {
          port: 10000 + (i % 1000),
          servicePort: 8080,
          tags: { service: `backend-${i % 50}`, version: `v${i % 3}`, env: i % 2 === 0 ? "prod" : "dev" },
        },
      ],
      outbound: [
        { port: 33033, service: "database" },
        { port: 44044, service: `user-${i % 7}` },
      ],
    },
  };
}

/** The insight of a dataplane: one xDS subscription with its counters. */
export function dataplaneInsight(mesh: string, i: number): Record<string, unknown> {
  return {
    type: "DataplaneInsight",
    mesh,
    name: dataplaneName(i),
    subscriptions: [
      {
        id: `sub-${i}`,
        controlPlaneInstanceId: "cp-1",
        connectTime: "2020-01-01T00:00:00Z",
        status: {
          lastUpdateTime: "2020-01-01T00:00:01Z",
          total: { responsesSent: "3", responsesAcknowledged: "3" },
          cds: { responsesSent: "1", responsesAcknowledged: "1" },
          eds: { responsesSent: "1", responsesAcknowledged: "1" },
          lds: { responsesSent: "1", responsesAcknowledged: "1" },
        },
      },
    ],
  };
}

/** One in this many dataplanes has an insight. */
export const INSIGHT_EVERY = 10;

/** `/meshes/<mesh>/dataplanes/<name>` */
export const dataplanePath = (mesh: string, i: number): string => `/meshes/${mesh}/dataplanes/${dataplaneName(i)}`;
