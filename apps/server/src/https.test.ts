import { X509Certificate } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect } from "node:tls";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./server/start-server.js";
import { testConfig } from "./test-support/api.js";

const tlsFile = (name: string): string =>
  new URL(`./test-support/tls/${name}`, import.meta.url).pathname;
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
    server = await startServer({
      config: testConfig({ ...HTTPS_ENV, KUMA_API_SERVER_HTTPS_TLS_MIN_VERSION: "TLSv1_3" }),
    });
    expect(await get(server.apiHttpsUrl!, "/meshes", { maxVersion: "TLSv1.2" })).toBeInstanceOf(
      Error,
    );
    expect(await get(server.apiHttpsUrl!, "/meshes", { minVersion: "TLSv1.3" })).toMatchObject({
      status: 200,
    });
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
    const cert = {
      cert: readFileSync(tlsFile("client.crt")),
      key: readFileSync(tlsFile("client.key")),
    };
    expect(await get(server.apiHttpsUrl!, "/meshes", cert)).toMatchObject({ status: 200 });
    const proxied = await get(server.apiHttpsUrl!, "/global-secrets/admin-user-token", {
      ...cert,
      headers: { "X-Forwarded-For": "203.0.113.1" },
    });
    expect(proxied).toMatchObject({ status: 403 });
  });

  it("serves a renewed certificate without a restart, and keeps the previous one while the files disagree", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kuma-tls-"));
    try {
      const certFile = path.join(dir, "tls.crt");
      const keyFile = path.join(dir, "tls.key");
      copyFileSync(tlsFile("server.crt"), certFile);
      copyFileSync(tlsFile("server.key"), keyFile);
      const lines: string[] = [];
      const logger = pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
      server = await startServer({
        config: testConfig({
          ...HTTPS_ENV,
          KUMA_API_SERVER_HTTPS_TLS_CERT_FILE: certFile,
          KUMA_API_SERVER_HTTPS_TLS_KEY_FILE: keyFile,
        }),
        logger,
      });
      const url = new URL(server.apiHttpsUrl!);
      const served = () => servedFingerprint(url.hostname, Number(url.port));
      const fingerprint = (file: string) =>
        new X509Certificate(readFileSync(tlsFile(file))).fingerprint256;
      expect(await served()).toBe(fingerprint("server.crt"));

      // The key first: it does not match the certificate being served, which stays in service.
      copyFileSync(tlsFile("client.key"), keyFile);
      await until(() =>
        lines.some((line) => line.includes("could not reload the API's TLS certificate")),
      );
      expect(await served()).toBe(fingerprint("server.crt"));
      expect(await get(server.apiHttpsUrl!, "/meshes")).toMatchObject({ status: 200 });

      // Then its certificate: the new pair is served on new connections.
      copyFileSync(tlsFile("client.crt"), certFile);
      await until(async () => (await served()) === fingerprint("client.crt"));
      expect(lines.some((line) => line.includes("reloaded the API's TLS certificate"))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("refuses to start when enabled without a certificate", () => {
    expect(() => testConfig({ KUMA_API_SERVER_HTTPS_ENABLED: "true" })).toThrow(
      /KUMA_API_SERVER_HTTPS_TLS_CERT_FILE/,
    );
  });
});

/** The SHA-256 fingerprint of the certificate a TLS server presents. */
function servedFingerprint(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false }, () => {
      const fingerprint = socket.getPeerX509Certificate()?.fingerprint256 ?? "";
      socket.end();
      resolve(fingerprint);
    });
    socket.on("error", reject);
  });
}

/** Resolves once `condition` holds; fails after 15 s. */
async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
