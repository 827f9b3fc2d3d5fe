/**
 * Vitest setup of the server's suites: every answer a test receives from a
 * server that startApi or startCli started is checked against
 * `GET /openapi.json`'s document (openapi-contract.ts); a test that saw an
 * answer the document does not describe fails, naming it. Bodies are read
 * from a clone, so the test reads its own copy as before; event streams are
 * checked by status and headers only.
 */
import { afterEach } from "vitest";
import { testApiOrigins } from "./api.js";
import { openApiContract, type Exchange } from "./openapi-contract.js";

const originalFetch = globalThis.fetch;
const pending: Promise<void>[] = [];
const problems: string[] = [];

function check(exchange: Exchange): void {
  problems.push(...openApiContract().check(exchange));
}

globalThis.fetch = async (input, init) => {
  const response = await originalFetch(input, init);
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  if (!testApiOrigins.has(new URL(url).origin)) return response;
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const base = { method, url, status: response.status, headers: response.headers };
  if (!response.body || response.headers.get("content-type")?.includes("text/event-stream")) {
    check({ ...base, text: response.body ? undefined : "" });
    return response;
  }
  pending.push(
    response
      .clone()
      .text()
      .then(
        (text) => check({ ...base, text }),
        () => check({ ...base, text: undefined }), // the test gave up on the body (aborted): headers only
      ),
  );
  return response;
};

afterEach(async () => {
  const settled = Promise.all(pending.splice(0));
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
  const found = problems.splice(0);
  if (found.length > 0) {
    throw new Error(
      `answers that GET /openapi.json does not describe:\n  ${[...new Set(found)].join("\n  ")}`,
    );
  }
});
