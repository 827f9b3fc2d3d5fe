/**
 * The load generator: autocannon's programmatic API, in this process.
 * Throughput counts 2xx answers per second of the run; latency is the
 * median of every answer's own time (autocannon's histogram keeps whole
 * milliseconds, too coarse for sub-millisecond answers).
 */
import autocannon, { type Client, type Request } from "autocannon";
import { cpuMicrosOf } from "./processes.js";

/** Load settings, the same for ours and the baseline. */
export interface LoadSettings {
  readonly connections: number;
  readonly seconds: number;
}

/** What one run measured. */
export interface LoadRun {
  readonly requestsPerSecond: number;
  readonly medianMs: number;
  /** 2xx answers. */
  readonly answers: number;
  /** The other answers, by status (empty unless `countNon2xx` was set: they fail the run). */
  readonly non2xx: Readonly<Record<string, number>>;
  /** CPU time the server process used per 2xx answer, when its pid was given. */
  readonly serverCpuMicrosPerAnswer?: number;
}

/** Options of one run. */
export interface LoadOptions {
  /** The server process, to measure its CPU time. */
  readonly serverPid?: number;
  /** Count non-2xx answers instead of failing the run on the first of them. */
  readonly countNon2xx?: boolean;
}

/**
 * Runs `requests` against `baseUrl`. With several requests, each
 * connection starts at a different place in the list (and walks it in a
 * loop), so that concurrent requests never hit the same resource.
 */
export async function runLoad(
  baseUrl: string,
  requests: readonly Request[],
  settings: LoadSettings,
  { serverPid, countNon2xx = false }: LoadOptions = {},
): Promise<LoadRun> {
  if (requests.length === 0) throw new Error("no requests");
  let nextClient = 0;
  const stride = Math.max(1, Math.floor(requests.length / settings.connections));
  const times: number[] = [];
  const non2xx: Record<string, number> = {};
  let failures = 0;
  let firstFailure: number | undefined;
  const cpuBefore = serverPid === undefined ? undefined : await cpuMicrosOf(serverPid);
  const started = performance.now();
  const instance = autocannon({
    url: baseUrl,
    connections: settings.connections,
    pipelining: 1,
    duration: settings.seconds,
    timeout: 30,
    requests: [...requests],
    setupClient:
      requests.length > 1
        ? (client: Client) => {
            const start = (nextClient++ * stride) % requests.length;
            client.setRequests([...requests.slice(start), ...requests.slice(0, start)]);
          }
        : undefined,
  });
  instance.on("response", (_client: unknown, status: number, _bytes: number, responseTime: number) => {
    if (status >= 200 && status < 300) times.push(responseTime);
    else {
      failures++;
      firstFailure ??= status;
      non2xx[status] = (non2xx[status] ?? 0) + 1;
    }
  });
  const result = await instance;
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuBefore === undefined ? undefined : (await cpuMicrosOf(serverPid as number)) - cpuBefore;
  if ((failures > 0 && !countNon2xx) || result.errors > 0 || result.timeouts > 0) {
    throw new Error(
      `load on ${baseUrl}${requests[0]?.path ?? ""}: ${failures} non-2xx answers (first ${firstFailure}), ` +
        `${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  if (times.length + failures === 0) throw new Error(`load on ${baseUrl}: no answer at all`);
  return {
    requestsPerSecond: times.length / seconds,
    medianMs: median(times),
    answers: times.length,
    non2xx,
    ...(cpu === undefined ? {} : { serverCpuMicrosPerAnswer: cpu / times.length }),
  };
}

/** The median of some numbers (the mean of the two middle ones for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
