import https from "node:https";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./server/start-server.js";
import { testConfig } from "./test-support/api.js";

const tlsFile = (name: string): string => new URL(`./test-support/tls/${name}`, import.meta.url).pathname;
const ca = readFileSync(tlsFile("ca.crt"));

/** A GET over TLS: status and body, or the connection's error. */
function get(
  url: string,
  path: string,
  options: https.RequestOptions = {},
): Promise<{ status: number; text: string } | Error> {
  return new Promise((resolve) => {
    const req = https.request(`${url}${path}`, { ca, ...options }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", (error) => resolve(error));
    req.end();
  });
}

const HTTPS_ENV = {
  KUMA_API_SERVER_HTTPS_ENABLED: "true",
  KUMA_API_SERVER_HTTPS_PORT: "0",
  KUMA_API_SERVER_HTTPS_INTERFACE: "127.0.0.1",
  KUMA_API_SERVER_HTTPS_TLS_CERT_FILE: tlsFile("server.crt"),
  KUMA_API_SERVER_HTTPS_TLS_KEY_FILE: tlsFile("server.key"),
};

describe("the API over TLS", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("serves the same API on its own port, and nothing by default", async () => {
    const plain = await startServer({ config: testConfig() });
    expect(plain.apiHttpsUrl).toBeUndefined();
    await plain.close();
    server = await startServer({ config: testConfig(HTTPS_ENV) });
    expect(server.apiHttpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await get(server.apiHttpsUrl!, "/meshes");
    expect(answer).toMatchObject({ status: 200 });
    expect((await fetch(`${server.apiUrl}/meshes`)).status).toBe(200);
  });

  it("enforces the minimum TLS version", async () => {
    server = await startServer({ config: testConfig({ ...HTTPS_ENV, KUMA_API_SERVER_HTTPS_TLS_MIN_VERSION: "TLSv1_3" }) });
    expect(await get(server.apiHttpsUrl!, "/meshes", { maxVersion: "TLSv1.2" })).toBeInstanceOf(Error);
    expect(await get(server.apiHttpsUrl!, "/meshes", { minVersion: "TLSv1.3" })).toMatchObject({ status: 200 });
  });

  it("requires a client certificate when configured, which admits the connection but confers no admin rights", async () => {
    server = await startServer({
      config: testConfig({
        ...HTTPS_ENV,
        KUMA_API_SERVER_HTTPS_CLIENT_CERTS_CA_FILE: tlsFile("ca.crt"),
        KUMA_API_SERVER_HTTPS_REQUIRE_CLIENT_CERT: "true",
      }),
    });
    const withoutCert = await get(server.apiHttpsUrl!, "/meshes");
    expect(withoutCert).toBeInstanceOf(Error);
    const cert = { cert: readFileSync(tlsFile("client.crt")), key: readFileSync(tlsFile("client.key")) };
    expect(await get(server.apiHttpsUrl!, "/meshes", cert)).toMatchObject({ status: 200 });
    const proxied = await get(server.apiHttpsUrl!, "/global-secrets/admin-user-token", {
      ...cert,
      headers: { "X-Forwarded-For": "203.0.113.1" },
    });
    expect(proxied).toMatchObject({ status: 403 });
  });

  it("refuses to start when enabled without a certificate", () => {
    expect(() => testConfig({ KUMA_API_SERVER_HTTPS_ENABLED: "true" })).toThrow(/KUMA_API_SERVER_HTTPS_TLS_CERT_FILE/);
  });
});
