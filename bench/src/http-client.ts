/** A small keep-alive HTTP client for seeding and fetching (not for measuring). */
import http from "node:http";

// With a timeout set, Node's agent also honours the server's `Keep-Alive: timeout=5` hint and
// drops an idle socket a second before the server closes it; without one it may reuse a socket
// the server is closing (ECONNRESET), which the inspection benchmarks' rounds, idle for longer
// than that between turns, ran into.
const agent = new http.Agent({ keepAlive: true, maxSockets: 64, timeout: 60_000 });

/** An answer: status and body text. */
export interface Answer {
  readonly status: number;
  readonly text: string;
}

/** One request; the body is sent as JSON when given. */
export function request(method: string, url: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Accept: "application/json" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["Content-Length"] = Buffer.byteLength(body);
    }
    const req = http.request(url, { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** GET that must answer 200; the body text. */
export async function getText(url: string): Promise<string> {
  const answer = await request("GET", url);
  if (answer.status !== 200) throw new Error(`GET ${url}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.text;
}

/** A request that must answer one of `expected`. */
export async function expectStatus(
  method: string,
  url: string,
  body: string | undefined,
  expected: readonly number[],
): Promise<Answer> {
  const answer = await request(method, url, body);
  if (!expected.includes(answer.status)) {
    throw new Error(`${method} ${url}: ${answer.status} ${answer.text.slice(0, 300)}`);
  }
  return answer;
}

/** Runs `work(i)` for i in [0, count) with at most `concurrency` in flight. */
export async function forEachConcurrently(
  count: number,
  concurrency: number,
  work: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Closes idle keep-alive sockets (so that child servers can stop promptly). */
export function closeIdleSockets(): void {
  agent.destroy();
}
