export { Catalog, catalogOf } from "./catalog.js";
export { DEFAULT_MESH_NAME, parseDefaultMesh } from "./default-mesh.js";
export type { ConfigLeafKind, SecretKind } from "./fields.js";
export { configLeaves, envVarName } from "./leaves.js";
export type { ConfigLeaf } from "./leaves.js";
export { ConfigError, defaultServerConfig, loadServerConfig } from "./load.js";
export type { ConfigSources } from "./load.js";
export { REDACTED, configToJson, redactConfig, redactUrlPassword } from "./redact.js";
export { DEFAULT_MESH_YAML, ServerConfig } from "./schema.js";
