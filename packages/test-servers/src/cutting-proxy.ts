/**
 * A TCP proxy in front of a server that can cut every connection through it
 * at once, as a network failure or a load balancer would: for tests of
 * clients that must resume (watches).
 */
import net from "node:net";
import type { AddressInfo } from "node:net";

/** A listening proxy. */
export interface CuttingProxy {
  /** The proxy's URL: the target's, on the proxy's port. */
  readonly url: string;
  /** Destroys every open connection (both sides); new connections still pass. */
  cut(): void;
  /**
   * How many client connections that carried a request are open now (a
   * connection a client opens ahead, with nothing sent yet, is not counted).
   */
  openConnections(): number;
  /** Resolves once no connection that carried a request is open. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy on a free loopback port that forwards every connection to `targetUrl`'s host and port. */
export async function startCuttingProxy(targetUrl: string): Promise<CuttingProxy> {
  const target = new URL(targetUrl);
  const pairs = new Set<[net.Socket, net.Socket]>();
  /** The connections that carried a request. */
  const used = new Set<net.Socket>();
  let idleWaiters: (() => void)[] = [];
  const settle = () => {
    if (used.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const wake of waiters) wake();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
      if (used.delete(client)) settle();
    };
    client.once("data", () => used.add(client));
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = new URL(targetUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);
  const cut = () => {
    for (const [client, upstream] of [...pairs]) {
      client.destroy();
      upstream.destroy();
    }
  };
  return {
    url: url.toString().replace(/\/$/, ""),
    cut,
    openConnections: () => used.size,
    idle: () =>
      used.size === 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => idleWaiters.push(resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
