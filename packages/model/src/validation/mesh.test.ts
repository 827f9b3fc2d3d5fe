import { describe, expect, it } from "vitest";
import { MeshType } from "../registry.js";
import { applyMeshDefaults } from "../resources/mesh-defaults.js";
import { validateMesh } from "./mesh.js";
import { decodeSpec } from "./test-support/resources.js";

const causesOf = (spec: Record<string, unknown>) => validateMesh(decodeSpec(MeshType, spec));

const fileBackend = (name: string, extra: Record<string, unknown> = {}) => ({ name, file: { path: "/tmp/log" }, ...extra });
const zipkinBackend = (name: string, zipkin: Record<string, unknown> = {}) => ({
  name,
  zipkin: { url: "http://zipkin.local:9411/v2/spans", ...zipkin },
});

describe("validateMesh", () => {
  it("accepts an empty mesh", () => {
    expect(causesOf({})).toEqual([]);
  });

  it("accepts a fully configured mesh", () => {
    expect(
      causesOf({
        mtls: { enabled: true, ca: { builtin: {} } },
        logging: {
          defaultBackend: "tcp-1",
          backends: [
            fileBackend("file-1"),
            fileBackend("file-2", { format: "%START_TIME% %KUMA_SOURCE_SERVICE%" }),
            { name: "tcp-1", tcp: { address: "kibana:1234" } },
            { name: "tcp-2", format: "%START_TIME% %KUMA_DESTINATION_SERVICE%", tcp: { address: "[::1]:1234" } },
          ],
        },
        tracing: {
          defaultBackend: "zipkin-us",
          backends: [
            { ...zipkinBackend("zipkin-us", { traceId128bit: true, apiVersion: "httpProto" }), sampling: 80 },
            { ...zipkinBackend("zipkin-eu"), sampling: 100 },
          ],
        },
        metrics: { prometheus: { port: 1234, path: "/m" } },
      }),
    ).toEqual([]);
  });

  describe("mtls", () => {
    it("requires a CA when mTLS is enabled, for direct model use", () => {
      expect(causesOf({ mtls: { enabled: true } })).toEqual([
        { field: "mtls.ca", message: "has to be set when mTLS is enabled" },
      ]);
      expect(causesOf({ mtls: { enabled: true, ca: {} } })).toEqual([
        { field: "mtls.ca", message: "has to be set when mTLS is enabled" },
      ]);
    });

    it("cannot fail once the Mesh defaults are applied", () => {
      expect(validateMesh(applyMeshDefaults(decodeSpec(MeshType, { mtls: { enabled: true } })))).toEqual([]);
    });

    it("does not require a CA while mTLS is disabled", () => {
      expect(causesOf({ mtls: {} })).toEqual([]);
    });
  });

  describe("logging", () => {
    it("requires names, file paths and TCP addresses", () => {
      expect(
        causesOf({ logging: { backends: [{ file: {} }, { name: "t", tcp: {} }] } }),
      ).toEqual([
        { field: "logging.backends[0].name", message: "cannot be empty" },
        { field: "logging.backends[0].file.path", message: "cannot be empty" },
        { field: "logging.backends[1].tcp.address", message: "cannot be empty" },
      ]);
    });

    it.each(["wrong-format:234:234", "kibana", ":1234", "kibana:", "[::1]"])("rejects the TCP address %j", (address) => {
      expect(causesOf({ logging: { backends: [{ name: "t", tcp: { address } }] } })).toEqual([
        { field: "logging.backends[0].tcp.address", message: "has to be in format of HOST:PORT" },
      ]);
    });

    it("rejects an invalid access-log format with the parser's reason", () => {
      expect(causesOf({ logging: { backends: [fileBackend("b", { format: "%START_TIME% %sent_bytes%" })] } })).toEqual([
        {
          field: "logging.backends[0].format",
          message: 'format string is not valid: expected a command operator to start at position 14, instead got: "%sent_bytes%"',
        },
      ]);
    });

    it("rejects a header operator without arguments", () => {
      expect(causesOf({ logging: { backends: [fileBackend("b", { format: "%RESP%" })] } })).toEqual([
        {
          field: "logging.backends[0].format",
          message:
            'format string is not valid: command "%RESP(X?Y):Z%" requires a header and optional alternative header names as its arguments, instead got "%RESP%"',
        },
      ]);
    });

    it("rejects a name used by an earlier backend, after that backend's own causes", () => {
      expect(
        causesOf({
          logging: {
            defaultBackend: "backend-1",
            backends: [
              { name: "backend-1", tcp: { address: "kibana:1234" } },
              { name: "backend-1", file: {} },
              { name: "backend-1", file: { path: "/p" } },
            ],
          },
        }),
      ).toEqual([
        { field: "logging.backends[1].file.path", message: "cannot be empty" },
        { field: "logging.backends[1].name", message: '"backend-1" name is already used for another backend' },
        { field: "logging.backends[2].name", message: '"backend-1" name is already used for another backend' },
      ]);
    });

    it("requires the default backend to be one of the backends", () => {
      expect(causesOf({ logging: { defaultBackend: "missing", backends: [fileBackend("b")] } })).toEqual([
        { field: "logging.defaultBackend", message: "has to be set to one of the logging backend in mesh" },
      ]);
      expect(causesOf({ logging: { defaultBackend: "missing" } })).toEqual([
        { field: "logging.defaultBackend", message: "has to be set to one of the logging backend in mesh" },
      ]);
    });
  });

  describe("tracing", () => {
    it("requires a name and a sampling within [0, 100]", () => {
      expect(
        causesOf({ tracing: { backends: [{ ...zipkinBackend(""), sampling: 100.1 }, { ...zipkinBackend("b"), sampling: -1 }] } }),
      ).toEqual([
        { field: "tracing.backends[0].name", message: "cannot be empty" },
        { field: "tracing.backends[0].sampling", message: "has to be in [0.0 - 100.0] range" },
        { field: "tracing.backends[1].sampling", message: "has to be in [0.0 - 100.0] range" },
      ]);
    });

    it.each([
      ["", "cannot be empty"],
      ["invalid-url", "invalid URL"],
      ["http://zipkin:9411/%zz", "invalid URL"],
      ["http://zipkin-us.local/v2/spans", "port has to be explicitly specified"],
      ["/v2/spans", "port has to be explicitly specified"],
    ])("rejects the zipkin url %j", (url, message) => {
      expect(causesOf({ tracing: { backends: [zipkinBackend("z", { url })] } })).toEqual([
        { field: "tracing.backends[0].zipkin.url", message },
      ]);
    });

    it("rejects an unknown zipkin apiVersion", () => {
      expect(causesOf({ tracing: { backends: [zipkinBackend("z", { apiVersion: "invalid" })] } })).toEqual([
        {
          field: "tracing.backends[0].zipkin.apiVersion",
          message: "has invalid value. Allowed values: httpJsonV1, httpJson, httpProto",
        },
      ]);
    });

    it("rejects duplicate names and an unknown default backend", () => {
      expect(
        causesOf({ tracing: { defaultBackend: "non-existent", backends: [zipkinBackend("zipkin-us"), zipkinBackend("zipkin-us")] } }),
      ).toEqual([
        { field: "tracing.backends[1].name", message: '"zipkin-us" name is already used for another backend' },
        { field: "tracing.defaultBackend", message: "has to be set to one of the tracing backend in mesh" },
      ]);
    });

    it("orders a backend's causes name, sampling, url, apiVersion", () => {
      expect(
        causesOf({ tracing: { backends: [{ sampling: 101, zipkin: { url: "x", apiVersion: "v9" } }] } }),
      ).toEqual([
        { field: "tracing.backends[0].name", message: "cannot be empty" },
        { field: "tracing.backends[0].sampling", message: "has to be in [0.0 - 100.0] range" },
        { field: "tracing.backends[0].zipkin.url", message: "invalid URL" },
        {
          field: "tracing.backends[0].zipkin.apiVersion",
          message: "has invalid value. Allowed values: httpJsonV1, httpJson, httpProto",
        },
      ]);
    });
  });

  it("reports mtls, then logging, then tracing", () => {
    expect(
      causesOf({
        tracing: { defaultBackend: "t" },
        logging: { defaultBackend: "l" },
        mtls: { enabled: true },
      }),
    ).toEqual([
      { field: "mtls.ca", message: "has to be set when mTLS is enabled" },
      { field: "logging.defaultBackend", message: "has to be set to one of the logging backend in mesh" },
      { field: "tracing.defaultBackend", message: "has to be set to one of the tracing backend in mesh" },
    ]);
  });
});
