/**
 * @kuma-ts/redis-harness — real redis-server processes for the project's
 * tests: standalone servers, clusters and sentinels on free ports, with no
 * persistence, stopped afterwards. Throws RedisNotInstalledError when
 * redis-server is missing, so tests never skip silently.
 *
 * @example
 * const redis = await startRedisServer();
 * const cluster = await startRedisCluster({ masters: 3 });
 * await Promise.all([redis.stop(), cluster.stop()]);
 */
export { RedisNotInstalledError } from "./binaries.js";
export { startRedisCluster } from "./cluster.js";
export type { RedisCluster, RedisClusterOptions } from "./cluster.js";
export { startRedisSentinel } from "./sentinel.js";
export type { RedisSentinel, RedisSentinelOptions } from "./sentinel.js";
export { startRedisServer } from "./server.js";
export type { RedisServer, RedisServerOptions } from "./server.js";
export { sendCommand } from "./resp.js";
export type { RespReply } from "./resp.js";
