import { Type, type Static } from "@sinclair/typebox";
import { Timestamp } from "../proto.js";
import { DataplaneSpec } from "./dataplane.js";
import { DataplaneInsightSpec } from "./dataplane-insight.js";

/** Read-only projection: a Dataplane joined with the DataplaneInsight of the same mesh and name. */
export const DataplaneOverview = Type.Object(
  {
    type: Type.Literal("DataplaneOverview"),
    mesh: Type.String(),
    name: Type.String(),
    creationTime: Type.Optional(Timestamp()),
    modificationTime: Type.Optional(Timestamp()),
    dataplane: DataplaneSpec,
    dataplaneInsight: DataplaneInsightSpec,
  },
  { additionalProperties: false, $id: "DataplaneOverview" },
);
export type DataplaneOverview = Static<typeof DataplaneOverview>;
