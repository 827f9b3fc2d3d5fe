/**
 * A real server on a free port for black-box tests, and plain-HTTP helpers
 * to talk to it. Nothing of our HTTP stack is mocked.
 */
import { loadServerConfig, type ServerConfig } from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import { startServer, type RunningServer } from "../server/start-server.js";
import type { StoreBackend } from "./store-backends.js";

/** A response read whole. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body parsed as JSON (undefined when empty or not JSON). */
  readonly json: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary bodies
}

/** A running API with its store. */
export interface TestApi {
  readonly url: string;
  readonly diagnosticsUrl: string;
  readonly store: ResourceStore;
  readonly server: RunningServer;
  request(method: string, path: string, init?: { body?: string; headers?: Record<string, string> }): Promise<Answer>;
  get(path: string, headers?: Record<string, string>): Promise<Answer>;
  /** PUT with `Content-Type: application/json`; objects are serialised. */
  put(path: string, body: unknown, headers?: Record<string, string>): Promise<Answer>;
  delete(path: string, headers?: Record<string, string>): Promise<Answer>;
  close(): Promise<void>;
}

/** The configuration of a test server: loopback, free ports, then `env` as a user would set it. */
export function testConfig(env: Record<string, string> = {}): ServerConfig {
  return loadServerConfig({
    env: {
      KUMA_API_SERVER_PORT: "0",
      KUMA_API_SERVER_INTERFACE: "127.0.0.1",
      KUMA_DIAGNOSTICS_PORT: "0",
      KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
      KUMA_GUI_SERVER_PORT: "0",
      ...env,
    },
  });
}

/** Reads a fetch response whole. */
export async function readAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** The origins of the servers startApi started: the contract test checks every answer they give (contract-setup.ts). */
export const testApiOrigins = new Set<string>();

/** Starts a server over a new store of `backend` (or over `options.store`). */
export async function startApi(
  backend: StoreBackend,
  options: { env?: Record<string, string>; store?: ResourceStore } = {},
): Promise<TestApi> {
  const store = options.store ?? backend.createStore();
  const server = await startServer({ config: testConfig(options.env), store });
  const url = server.apiUrl;
  testApiOrigins.add(new URL(url).origin);
  const request: TestApi["request"] = async (method, path, init = {}) =>
    readAnswer(await fetch(url + path, { method, headers: init.headers, body: init.body }));
  return {
    url,
    diagnosticsUrl: server.diagnosticsUrl,
    store,
    server,
    request,
    get: (path, headers) => request("GET", path, { headers }),
    put: (path, body, headers) =>
      request("PUT", path, {
        body: typeof body === "string" ? body : JSON.stringify(body),
        headers: { "Content-Type": "application/json", ...headers },
      }),
    delete: (path, headers) => request("DELETE", path, { headers }),
    close: async () => {
      await server.close();
      if (!options.store) await store.close();
    },
  };
}
