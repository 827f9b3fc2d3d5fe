/**
 * Rate limits (auth.md §8): a token bucket per caller and class (reads:
 * GET, HEAD; writes: the rest), kept by the store so replicas on one Redis
 * share each budget. Token users are keyed by name, anonymous callers by
 * address; failed authentications are charged to the address. If the
 * store cannot answer, requests go through (fail open) and a warning is
 * logged at most once a minute.
 */
import { BlockList, isIP } from "node:net";
import type { Logger } from "pino";
import type { ServerConfig } from "@kuma-ts/model";
import type { BucketLimits, TokenBuckets } from "@kuma-ts/store";
import { ApiError } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";

const READ_METHODS = new Set(["GET", "HEAD"]);
const WARN_EVERY_MS = 60_000;

/** The checks of the rate limiter. */
export interface RateLimiter {
  /** Charges an authenticated request; throws 429 when its budget is spent. */
  limit(ctx: ApiContext): Promise<void>;
  /** Charges a failed authentication to the caller's address; throws 429 when that budget is spent. */
  chargeFailure(ctx: ApiContext): Promise<void>;
  /**
   * Counts an opening watch of the caller in (per replica); throws 429 when
   * `maxWatchesPerClient` are open already. Returns the release.
   */
  admitWatch(ctx: ApiContext): () => void;
}

/** 429 with `Retry-After` (auth.md §7). */
export function tooManyRequests(ctx: ApiContext, retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  ctx.state.denyReason = "rate limit exceeded";
  return new ApiError(429, "Too many requests", `rate limit exceeded, retry after ${seconds}s`, [], {
    "Retry-After": String(seconds),
  });
}

/** The rate limiter of `apiServer.rateLimit`, or undefined when it is off (then no request spends anything on it). */
export function createRateLimiter(options: {
  readonly config: ServerConfig["apiServer"]["rateLimit"];
  readonly buckets: TokenBuckets;
  readonly logger: Logger;
}): RateLimiter | undefined {
  const { config, buckets, logger } = options;
  if (!config.enabled) return undefined;
  const reads: BucketLimits = { perSecond: config.readsPerSecond, burst: config.readBurst };
  const writes: BucketLimits = { perSecond: config.writesPerSecond, burst: config.writeBurst };
  const exempt = new Set(config.exemptGroups);
  const trusted = blockListOf(config.trustedProxies);
  let lastWarning = -Infinity;
  const openWatches = new Map<string, number>();

  const addressOf = (ctx: ApiContext): string => clientAddress(ctx, trusted);
  const charge = async (ctx: ApiContext, key: string): Promise<void> => {
    const isRead = READ_METHODS.has(ctx.method);
    const limits = isRead ? reads : writes;
    let take;
    try {
      take = await buckets.take(`${isRead ? "read" : "write"}:${key}`, limits);
    } catch (error) {
      const now = Date.now();
      if (now - lastWarning >= WARN_EVERY_MS) {
        lastWarning = now;
        logger.warn({ err: error }, "the rate limiter cannot reach the store: requests are not limited meanwhile");
      }
      return;
    }
    ctx.set("RateLimit-Limit", String(limits.burst));
    ctx.set("RateLimit-Remaining", String(take.remaining));
    if (!take.allowed) throw tooManyRequests(ctx, take.retryAfterMs);
  };
  const isExempt = (ctx: ApiContext): boolean => ctx.state.user?.groups.some((group) => exempt.has(group)) ?? false;
  const keyOf = (ctx: ApiContext): string =>
    ctx.state.authMethod === "token" && ctx.state.user ? `user:${ctx.state.user.name}` : `ip:${addressOf(ctx)}`;
  return {
    async limit(ctx) {
      if (isExempt(ctx)) return;
      await charge(ctx, keyOf(ctx));
    },
    admitWatch(ctx) {
      if (isExempt(ctx)) return () => {};
      const key = keyOf(ctx);
      const open = openWatches.get(key) ?? 0;
      if (open >= config.maxWatchesPerClient) throw tooManyRequests(ctx, 1000);
      openWatches.set(key, open + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (openWatches.get(key) ?? 1) - 1;
        if (left <= 0) openWatches.delete(key);
        else openWatches.set(key, left);
      };
    },
    chargeFailure: (ctx) => charge(ctx, `ip:${addressOf(ctx)}`),
  };
}

/** The CIDRs of trusted proxies. */
function blockListOf(cidrs: readonly string[]): BlockList | undefined {
  if (cidrs.length === 0) return undefined;
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", bits] = cidr.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

const contains = (list: BlockList, address: string): boolean => {
  const plain = address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
  const family = isIP(plain);
  return family !== 0 && list.check(plain, family === 6 ? "ipv6" : "ipv4");
};

/**
 * The caller's address: the socket's, or, when the socket's peer is a
 * trusted proxy, the right-most `X-Forwarded-For` hop that is not one.
 */
export function clientAddress(ctx: ApiContext, trusted: BlockList | undefined): string {
  const socketAddress = ctx.req.socket.remoteAddress ?? "unknown";
  if (!trusted || !contains(trusted, socketAddress)) return socketAddress;
  const header = ctx.get("X-Forwarded-For");
  if (header === "") return socketAddress;
  const hops = header.split(",").map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!;
    if (isIP(hop) === 0) return socketAddress; // a malformed hop: believe nothing beyond it
    if (!contains(trusted, hop)) return hop;
  }
  return hops[0] ?? socketAddress;
}
