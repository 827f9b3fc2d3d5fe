import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryStore } from "@kuma-ts/store";
import { startServer, type RunningServer } from "./server/start-server.js";
import { testConfig } from "./test-support/api.js";
import { openRaw } from "./test-support/raw-connection.js";

const HEADERS_TIMEOUT_MS = 500;
const REQUEST_TIMEOUT_MS = 1500;
/** How much later than its timeout a slow client may be cut off on a busy machine. */
const SLACK_MS = 1000;

describe("slow clients", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({
      config: testConfig({
        KUMA_API_SERVER_HEADERS_TIMEOUT: `${HEADERS_TIMEOUT_MS}ms`,
        KUMA_API_SERVER_REQUEST_TIMEOUT: `${REQUEST_TIMEOUT_MS}ms`,
      }),
      store: createMemoryStore(),
    });
  });
  afterAll(() => server?.close());

  /** Sends `text` one byte every 50 ms until the server answers or closes; resolves with what it sent. */
  async function trickle(text: string): Promise<{ ms: number; answer: string }> {
    const connection = await openRaw(server.apiUrl);
    const started = Date.now();
    for (let i = 0; i < text.length && !connection.closed(); i++) {
      await connection.write(text[i]!).catch(() => undefined);
      if (/HTTP\/1\.1 \d{3}/.test(connection.received())) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const answer = await connection.waitFor(/HTTP\/1\.1 \d{3}[\s\S]*\}/, 1000).catch(() => connection.received());
    const ms = Date.now() - started;
    connection.end();
    return { ms, answer };
  }

  it("cuts off a client that trickles its headers once apiServer.headersTimeout has passed (408)", async () => {
    const { ms, answer } = await trickle(`GET / HTTP/1.1\r\nHost: test\r\nX-Slow: ${"a".repeat(400)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(ms).toBeLessThanOrEqual(HEADERS_TIMEOUT_MS + SLACK_MS);
  });

  it("cuts off a client that trickles its body once apiServer.requestTimeout has passed", async () => {
    const body = `{"type":"Mesh","name":"slow","padding":"${"a".repeat(400)}"}`;
    const connection = await openRaw(server.apiUrl);
    const started = Date.now();
    await connection.write(
      `PUT /meshes/slow HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    for (let i = 0; i < body.length && !connection.closed(); i++) {
      await connection.write(body[i]!).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const ms = Date.now() - started;
    expect(connection.closed()).toBe(true);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(ms).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + SLACK_MS);
  });
});
