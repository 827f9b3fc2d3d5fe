import { fieldPath } from "../codec/schema-walk.js";
import type { Cause } from "../errors.js";
import type { Logging, LoggingBackend, Mesh, MeshMtls, Tracing, TracingBackend } from "../resources/mesh.js";
import { accessLogFormatError } from "./access-log-format.js";
import { splitHostPort } from "./addresses.js";
import { goQuote } from "./go-quote.js";
import { parseRequestUri, portOf } from "./request-uri.js";

const ZIPKIN_API_VERSIONS = ["httpJsonV1", "httpJson", "httpProto"] as const;

/**
 * Semantic validation of a Mesh (resources.md §4.1): the causes in the documented order.
 * Runs after the Mesh defaults, but does not rely on them.
 */
export function validateMesh(resource: Mesh): Cause[] {
  return [...validateMtls(resource.mtls), ...validateLogging(resource.logging), ...validateTracing(resource.tracing)];
}

function validateMtls(mtls: MeshMtls | undefined): Cause[] {
  // A CA with neither type is as good as none: the defaults treat it the same way.
  const hasCa = mtls?.ca?.builtin !== undefined || mtls?.ca?.provided !== undefined;
  return mtls?.enabled && !hasCa ? [{ field: "mtls.ca", message: "has to be set when mTLS is enabled" }] : [];
}

function validateLogging(logging: Logging | undefined): Cause[] {
  const causes = validateBackends("logging.backends", logging?.backends, validateLoggingBackend);
  if (logging?.defaultBackend && !logging.backends?.some((b) => b.name === logging.defaultBackend)) {
    causes.push({ field: "logging.defaultBackend", message: "has to be set to one of the logging backend in mesh" });
  }
  return causes;
}

function validateLoggingBackend(path: string, backend: LoggingBackend): Cause[] {
  const causes: Cause[] = [];
  if (!backend.name) causes.push({ field: fieldPath.field(path, "name"), message: "cannot be empty" });
  const formatError = backend.format ? accessLogFormatError(backend.format) : undefined;
  if (formatError !== undefined) {
    causes.push({ field: fieldPath.field(path, "format"), message: `format string is not valid: ${formatError}` });
  }
  if (backend.file && !backend.file.path) {
    causes.push({ field: fieldPath.field(path, "file.path"), message: "cannot be empty" });
  }
  if (backend.tcp) {
    const field = fieldPath.field(path, "tcp.address");
    const address = backend.tcp.address ?? "";
    const hostPort = splitHostPort(address);
    if (address === "") causes.push({ field, message: "cannot be empty" });
    else if (!hostPort?.host || !hostPort.port) causes.push({ field, message: "has to be in format of HOST:PORT" });
  }
  return causes;
}

function validateTracing(tracing: Tracing | undefined): Cause[] {
  const causes = validateBackends("tracing.backends", tracing?.backends, validateTracingBackend);
  if (tracing?.defaultBackend && !tracing.backends?.some((b) => b.name === tracing.defaultBackend)) {
    causes.push({ field: "tracing.defaultBackend", message: "has to be set to one of the tracing backend in mesh" });
  }
  return causes;
}

function validateTracingBackend(path: string, backend: TracingBackend): Cause[] {
  const causes: Cause[] = [];
  if (!backend.name) causes.push({ field: fieldPath.field(path, "name"), message: "cannot be empty" });
  const sampling = backend.sampling ?? 0;
  if (!(sampling >= 0 && sampling <= 100)) {
    causes.push({ field: fieldPath.field(path, "sampling"), message: "has to be in [0.0 - 100.0] range" });
  }
  const zipkin = backend.zipkin;
  if (zipkin) {
    const urlError = zipkinUrlError(zipkin.url ?? "");
    if (urlError !== undefined) causes.push({ field: fieldPath.field(path, "zipkin.url"), message: urlError });
    if (zipkin.apiVersion && !(ZIPKIN_API_VERSIONS as readonly string[]).includes(zipkin.apiVersion)) {
      causes.push({
        field: fieldPath.field(path, "zipkin.apiVersion"),
        message: `has invalid value. Allowed values: ${ZIPKIN_API_VERSIONS.join(", ")}`,
      });
    }
  }
  return causes;
}

function zipkinUrlError(url: string): string | undefined {
  if (url === "") return "cannot be empty";
  const uri = parseRequestUri(url);
  if (uri === undefined) return "invalid URL";
  // The collector becomes an Envoy cluster, which needs a port; Kuma 0.4 did not infer one from the scheme.
  return portOf(uri) === "" ? "port has to be explicitly specified" : undefined;
}

/**
 * Each backend's own causes, then a cause on a name already used by an earlier
 * backend: Kuma reports both per backend, in list order.
 */
function validateBackends<B extends { name?: string }>(
  path: string,
  backends: readonly B[] | undefined,
  validateBackend: (path: string, backend: B) => Cause[],
): Cause[] {
  const causes: Cause[] = [];
  const usedNames = new Set<string>();
  (backends ?? []).forEach((backend, i) => {
    const backendPath = fieldPath.index(path, i);
    causes.push(...validateBackend(backendPath, backend));
    const name = backend.name ?? "";
    if (usedNames.has(name)) {
      causes.push({
        field: fieldPath.field(backendPath, "name"),
        message: `${goQuote(name)} name is already used for another backend`,
      });
    }
    usedNames.add(name);
  });
  return causes;
}
