/** Locating the Redis binaries, with an error that says how to install them. */
import { spawnSync } from "node:child_process";

/** redis-server (or redis-cli) is not installed: tests that need it fail rather than skip. */
export class RedisNotInstalledError extends Error {
  override readonly name = "RedisNotInstalledError";
  constructor(readonly binary: string) {
    super(
      `${binary} was not found on PATH: the tests need a real Redis. ` +
        `Install it (e.g. \`apt-get install redis-server\` or \`brew install redis\`) ` +
        `or point REDIS_SERVER_BIN / REDIS_CLI_BIN at the binaries.`,
    );
  }
}

const checked = new Map<string, string>();

/** Resolves a binary name, checking once that it runs; throws RedisNotInstalledError. */
export function requireBinary(binary: string): string {
  const known = checked.get(binary);
  if (known !== undefined) return known;
  const result = spawnSync(binary, ["--version"], { encoding: "utf8" });
  if (result.error || result.status !== 0) throw new RedisNotInstalledError(binary);
  checked.set(binary, result.stdout.trim());
  return result.stdout.trim();
}

/** The redis-server binary: REDIS_SERVER_BIN or `redis-server` on PATH. */
export function redisServerBinary(): string {
  return process.env["REDIS_SERVER_BIN"] || "redis-server";
}

/** The redis-cli binary: REDIS_CLI_BIN or `redis-cli` on PATH. */
export function redisCliBinary(): string {
  return process.env["REDIS_CLI_BIN"] || "redis-cli";
}
