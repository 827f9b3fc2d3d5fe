/** Finding TCP ports that nothing listens on. */
import { createServer } from "node:net";

/** Whether 127.0.0.1:port can be bound right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** A port the operating system considers free (it may be taken again before use: callers retry). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ port: 0, host: "127.0.0.1", exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error("no free port"))));
    });
  });
}

/**
 * A free port whose cluster bus port (port + 10000, the Redis default) is
 * free too; chosen below 55536 so that the bus port exists. Redis 6 has no
 * `cluster-port` setting, so the pair must be free as it is.
 */
export async function findFreeClusterPort(taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 35000);
    if (taken.has(port) || taken.has(port + 10000)) continue;
    if ((await isPortFree(port)) && (await isPortFree(port + 10000))) return port;
  }
  throw new Error("could not find a free port pair (port, port + 10000) for a cluster node");
}
