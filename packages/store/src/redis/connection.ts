/**
 * Running store operations against Redis: the one place where ioredis and
 * connection failures become StoreUnavailableError, and where every
 * operation is bounded by the command timeout, whatever state the
 * connection is in.
 */
import { StoreError, StoreUnavailableError } from "../errors.js";
import { isReplyError, type RedisClient } from "./scripts.js";

/** Replies that mean "not now" (an outage, a failover, a misconfiguration) rather than a bug. */
const UNAVAILABLE_REPLY =
  /^(CLUSTERDOWN|LOADING|MASTERDOWN|READONLY|TRYAGAIN|BUSY|NOREPLICAS|NOAUTH|WRONGPASS|NOPERM|OOM)\b/;

/** One ioredis client, used through run(). */
export class RedisConnection {
  private closed = false;
  private lastError: Error | undefined;
  private readyWaiter: Promise<void> | undefined;
  private readonly commandsBounded: boolean;

  /**
   * `commandsBounded`: whether ioredis itself bounds each command on a
   * ready connection by the timeout (standalone and Sentinel connections
   * with no offline queue; not a cluster, whose redirections and retries
   * can take longer than one command's timeout).
   */
  constructor(
    readonly client: RedisClient,
    readonly timeoutMs: number,
    commandsBounded: boolean,
  ) {
    // With auto-pipelining ioredis sends one batch per node at a time and starts a command's
    // timer only when its batch is sent: behind a batch that hangs, an operation waits up to a
    // whole timeout before its own begins. Only our own timer bounds it then.
    this.commandsBounded = commandsBounded && !client.options.enableAutoPipelining;
    // ioredis reports every failed reconnection attempt; run() turns the state into errors.
    client.on("error", (error: Error) => {
      this.lastError = error;
    });
  }

  /** A second connection to the same Redis, with the same settings. */
  duplicate(): RedisConnection {
    return new RedisConnection(this.client.duplicate(), this.timeoutMs, this.commandsBounded);
  }

  /**
   * Runs one store operation's Redis commands. Waits for the connection to
   * be ready (never queueing commands), rejects with StoreUnavailableError
   * once the command timeout has passed, and translates connection errors.
   * `work` should only talk to Redis: decoding happens outside, so that a
   * bug in it is not mistaken for an outage. `oneStep` says that `work`
   * sends its commands at once (none waits for another's reply), so that
   * ioredis's per-command timeout already bounds it: the common case then
   * skips a timer of its own.
   */
  async run<T>(
    operation: string,
    work: (client: RedisClient) => Promise<T>,
    { oneStep = false }: { oneStep?: boolean } = {},
  ): Promise<T> {
    if (this.closed) throw new StoreUnavailableError(`the Redis store is closed (${operation})`);
    if (oneStep && this.commandsBounded && this.client.status === "ready") {
      try {
        return await work(this.client);
      } catch (error) {
        throw this.translate(error, operation);
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const expiry = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const reason =
          this.client.status === "ready" ? "did not answer" : `is ${this.client.status}`;
        const last = this.lastError ? `; last error: ${this.lastError.message}` : "";
        reject(
          new StoreUnavailableError(
            `Redis ${reason} within ${this.timeoutMs}ms (${operation})${last}`,
          ),
        );
      }, this.timeoutMs);
    });
    const attempt = (async () => {
      if (this.client.status !== "ready") await Promise.race([this.nextReady(), expiry]);
      return await work(this.client);
    })();
    // After the deadline nobody awaits the attempt any more; its late failure must not go unhandled.
    attempt.catch(() => undefined);
    try {
      return await Promise.race([attempt, expiry]);
    } catch (error) {
      throw this.translate(error, operation);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the connection: politely if Redis answers in time, abruptly otherwise. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.quit().catch(() => undefined),
      new Promise((resolve) => (timer = setTimeout(resolve, this.timeoutMs))),
    ]);
    clearTimeout(timer);
    this.client.disconnect();
  }

  private nextReady(): Promise<void> {
    this.readyWaiter ??= new Promise<void>((resolve) => {
      this.client.once("ready", () => {
        this.readyWaiter = undefined;
        resolve();
      });
    });
    return this.readyWaiter;
  }

  private translate(error: unknown, operation: string): unknown {
    if (error instanceof StoreError) return error;
    // Any other reply is a bug or a damaged keyspace, not an outage: let it surface as it is.
    if (isReplyError(error) && !UNAVAILABLE_REPLY.test(error.message)) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new StoreUnavailableError(`Redis is unavailable (${operation}): ${message}`, {
      cause: error,
    });
  }
}
