/** The leaves of the configuration schema, with the facts derived from them. */
import { Kind, type TObject, type TSchema } from "@sinclair/typebox";
import type { ConfigLeafKind, SecretKind } from "./fields.js";
import { ServerConfig } from "./schema.js";

/** One setting: where it is, how it is read, what it defaults to. */
export interface ConfigLeaf {
  /** `["apiServer", "port"]`. */
  readonly path: readonly string[];
  /** `apiServer.port`. */
  readonly key: string;
  /** `KUMA_API_SERVER_PORT`; empty for a setting only the YAML file can give. */
  readonly envVar: string;
  readonly kind: ConfigLeafKind;
  readonly schema: TSchema & {
    default: unknown;
    minimum?: number;
    maximum?: number;
    enum?: readonly string[];
    secret?: SecretKind;
    description?: string;
    env?: string;
    yamlOnly?: boolean;
    allowZero?: boolean;
    /** The schema of a `json` setting's value. */
    valueSchema?: TSchema;
  };
}

/** `["store", "redis", "caPath"]` → `KUMA_STORE_REDIS_CA_PATH`. */
export function envVarName(path: readonly string[]): string {
  return ["KUMA", ...path.map((p) => p.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase())].join("_");
}

/** Whether a schema is a section (an object of settings) rather than a leaf. */
export function isSection(schema: TSchema): schema is TObject {
  return schema[Kind] === "Object";
}

function envOf(schema: TSchema, path: readonly string[]): string {
  const { env, yamlOnly } = schema as { env?: string; yamlOnly?: boolean };
  return yamlOnly ? "" : (env ?? envVarName(path));
}

function collect(schema: TObject, prefix: readonly string[], out: ConfigLeaf[]): ConfigLeaf[] {
  for (const [name, child] of Object.entries(schema.properties)) {
    const path = [...prefix, name];
    if (isSection(child)) {
      collect(child, path, out);
    } else {
      out.push({
        path,
        key: path.join("."),
        envVar: envOf(child, path),
        kind: (child as unknown as { configKind: ConfigLeafKind }).configKind,
        schema: child as ConfigLeaf["schema"],
      });
    }
  }
  return out;
}

/** Every setting of the server configuration, in schema order. */
export const configLeaves: readonly ConfigLeaf[] = Object.freeze(collect(ServerConfig, [], []));
