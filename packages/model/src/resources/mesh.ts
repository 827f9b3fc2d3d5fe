import { type Static } from "@sinclair/typebox";
import { Bool, Double, Message, Repeated, Str } from "../proto.js";
import { globalResource } from "./meta.js";
import { Metrics } from "./metrics.js";

/** The certificate authority of a mesh's mTLS: exactly one of builtin or provided. */
export const CertificateAuthority = Message(
  { builtin: Message({}), provided: Message({}) },
  { oneofs: [["builtin", "provided"]] },
);
export type CertificateAuthority = Static<typeof CertificateAuthority>;

export const MeshMtls = Message({ ca: CertificateAuthority, enabled: Bool() });
export type MeshMtls = Static<typeof MeshMtls>;

export const ZipkinTracingBackendConfig = Message({
  url: Str(),
  traceId128bit: Bool(),
  apiVersion: Str(),
});
export type ZipkinTracingBackendConfig = Static<typeof ZipkinTracingBackendConfig>;

export const TracingBackend = Message(
  { name: Str(), sampling: Double(), zipkin: ZipkinTracingBackendConfig },
  { oneofs: [["zipkin"]] },
);
export type TracingBackend = Static<typeof TracingBackend>;

export const Tracing = Message({ defaultBackend: Str(), backends: Repeated(TracingBackend) });
export type Tracing = Static<typeof Tracing>;

export const FileLoggingBackendConfig = Message({ path: Str() });
export const TcpLoggingBackendConfig = Message({ address: Str() });

export const LoggingBackend = Message(
  { name: Str(), format: Str(), file: FileLoggingBackendConfig, tcp: TcpLoggingBackendConfig },
  { oneofs: [["file", "tcp"]] },
);
export type LoggingBackend = Static<typeof LoggingBackend>;

export const Logging = Message({ defaultBackend: Str(), backends: Repeated(LoggingBackend) });
export type Logging = Static<typeof Logging>;

/** The spec of a Mesh. */
export const MeshSpec = Message({
  mtls: MeshMtls,
  tracing: Tracing,
  logging: Logging,
  metrics: Metrics,
});
export type MeshSpec = Static<typeof MeshSpec>;

/** A service mesh: the scope of every other resource. */
export const Mesh = globalResource("Mesh", MeshSpec);
export type Mesh = Static<typeof Mesh>;
