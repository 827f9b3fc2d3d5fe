/**
 * ioredis's connectors, made safe against a second error on one socket.
 *
 * ioredis listens for a socket's `error` with `once` (redis/ioredis#961, closed
 * as "wontfix"): a socket that reports two errors — a TLS handshake that
 * fails on both ends does (our certificate check, then the server's alert) —
 * emits the second one with no listener left, and Node turns that into an
 * uncaught exception that ends the process. A connector from here adds a
 * lasting listener to every socket it opens; ioredis still sees the first
 * error and the `close` that follows, which is all it acts on.
 */
import type { RedisOptions } from "ioredis";
// The connectors are not among ioredis's root exports; this module of ioredis 5 has them.
import { SentinelConnector, StandaloneConnector } from "ioredis/built/connectors/index.js";

/** What ioredis accepts as `Connector`. */
type Connector = NonNullable<RedisOptions["Connector"]>;

/** What a connector does, as the mixin sees it (ioredis declares `connect` abstract). */
interface Connecting {
  connect(onError: (type: string, error: Error) => void): Promise<NodeJS.EventEmitter>;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a mixin's base must take any[] (TS2545).
type ConnectingClass = new (...args: any[]) => Connecting;

const ignoreLaterErrors = (): void => undefined;

function guarded(Base: ConnectingClass): Connector {
  class Guarded extends Base {
    override async connect(onError: (type: string, error: Error) => void) {
      const stream = await super.connect(onError);
      stream.on("error", ignoreLaterErrors);
      return stream;
    }
  }
  return Guarded as unknown as Connector;
}

/** The connector of standalone connections and of a cluster's node connections. */
export const GuardedStandaloneConnector = guarded(StandaloneConnector);
/** The connector of connections found through Sentinel. */
export const GuardedSentinelConnector = guarded(SentinelConnector);
