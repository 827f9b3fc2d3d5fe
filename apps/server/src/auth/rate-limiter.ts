/**
 * Rate limits (auth.md §8): a token bucket per caller and class (reads:
 * GET, HEAD; writes: the rest), kept by the store so replicas on one Redis
 * share each budget. Token users are keyed by name, anonymous callers by
 * address; failed authentications are charged to the address. Open watch
 * streams take slot leases of the store (`watch:<key>`), so the limit on
 * them counts every replica on one Redis; this replica renews the leases of
 * its open streams every third of WATCH_LEASE_MS, so the slots of a replica
 * that died free themselves within that. If the store cannot answer,
 * requests and watches go through (fail open) and a warning is logged at
 * most once a minute.
 */
import { randomBytes } from "node:crypto";
import { BlockList, isIP } from "node:net";
import type { Logger } from "pino";
import type { ServerConfig } from "@kuma-ts/model";
import type { BucketLimits, SlotLeases, TokenBuckets } from "@kuma-ts/store";
import { ApiError } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";
import { processInstanceId } from "../routes/info.js";

const READ_METHODS = new Set(["GET", "HEAD"]);
const WARN_EVERY_MS = 60_000;
/** How long an open watch's slot lasts without a renewal. */
export const WATCH_LEASE_MS = 30_000;

/** The checks of the rate limiter. */
export interface RateLimiter {
  /** Charges an authenticated request; throws 429 when its budget is spent. */
  limit(ctx: ApiContext): Promise<void>;
  /** Charges a failed authentication to the caller's address; throws 429 when that budget is spent. */
  chargeFailure(ctx: ApiContext): Promise<void>;
  /**
   * Counts an opening watch of the caller in (on every replica over the
   * store); throws 429 when `maxWatchesPerClient` are open already. Returns
   * the release.
   */
  admitWatch(ctx: ApiContext): Promise<() => void>;
}

/** 429 with `Retry-After` (auth.md §7). */
export function tooManyRequests(ctx: ApiContext, retryAfterMs: number): ApiError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  ctx.state.denyReason = "rate limit exceeded";
  return new ApiError(
    429,
    "Too many requests",
    `rate limit exceeded, retry after ${seconds}s`,
    [],
    {
      "Retry-After": String(seconds),
    },
  );
}

/** The rate limiter of `apiServer.rateLimit`, or undefined when it is off (then no request spends anything on it). */
export function createRateLimiter(options: {
  readonly config: ServerConfig["apiServer"]["rateLimit"];
  readonly buckets: TokenBuckets;
  readonly leases: SlotLeases;
  readonly logger: Logger;
}): RateLimiter | undefined {
  const { config, buckets, leases, logger } = options;
  if (!config.enabled) return undefined;
  const reads: BucketLimits = { perSecond: config.readsPerSecond, burst: config.readBurst };
  const writes: BucketLimits = { perSecond: config.writesPerSecond, burst: config.writeBurst };
  const exempt = new Set(config.exemptGroups);
  const trusted = blockListOf(config.trustedProxies);
  let lastWarning = -Infinity;
  const warn = (error: unknown): void => {
    const now = Date.now();
    if (now - lastWarning >= WARN_EVERY_MS) {
      lastWarning = now;
      logger.warn(
        { err: error },
        "the rate limiter cannot reach the store: requests are not limited meanwhile",
      );
    }
  };
  const watches = openWatchLeases(leases, warn, logger);

  const addressOf = (ctx: ApiContext): string => clientAddress(ctx, trusted);
  const charge = async (ctx: ApiContext, key: string): Promise<void> => {
    const isRead = READ_METHODS.has(ctx.method);
    const limits = isRead ? reads : writes;
    let take;
    try {
      take = await buckets.take(`${isRead ? "read" : "write"}:${key}`, limits);
    } catch (error) {
      warn(error);
      return;
    }
    ctx.set("RateLimit-Limit", String(limits.burst));
    ctx.set("RateLimit-Remaining", String(take.remaining));
    if (!take.allowed) throw tooManyRequests(ctx, take.retryAfterMs);
  };
  const isExempt = (ctx: ApiContext): boolean =>
    ctx.state.user?.groups.some((group) => exempt.has(group)) ?? false;
  const keyOf = (ctx: ApiContext): string =>
    ctx.state.authMethod === "token" && ctx.state.user
      ? `user:${ctx.state.user.name}`
      : `ip:${addressOf(ctx)}`;
  return {
    async limit(ctx) {
      if (isExempt(ctx)) return;
      await charge(ctx, keyOf(ctx));
    },
    async admitWatch(ctx) {
      if (isExempt(ctx)) return () => {};
      const release = await watches.open(`watch:${keyOf(ctx)}`, config.maxWatchesPerClient);
      if (!release) throw tooManyRequests(ctx, 1000);
      return release;
    },
    chargeFailure: (ctx) => charge(ctx, `ip:${addressOf(ctx)}`),
  };
}

/**
 * The slot leases of this replica's open watches: a holder per stream
 * (`<instance>-<limiter>:<n>`, unique across replicas and across the
 * limiters of one process), renewed on a timer that runs while any is open.
 */
export function openWatchLeases(
  leases: SlotLeases,
  warn: (error: unknown) => void,
  logger: Logger,
  ttlMs = WATCH_LEASE_MS,
): { open(key: string, max: number): Promise<(() => void) | undefined> } {
  const holderPrefix = `${processInstanceId()}-${randomBytes(4).toString("hex")}`;
  let opened = 0;
  /** Holder → key, of the streams open here. */
  const held = new Map<string, string>();
  let renewal: NodeJS.Timeout | undefined;
  const renewAll = (): void => {
    const byKey = new Map<string, string[]>();
    for (const [holder, key] of held) {
      const holders = byKey.get(key);
      if (holders) holders.push(holder);
      else byKey.set(key, [holder]);
    }
    for (const [key, holders] of byKey) leases.renew(key, holders, ttlMs).catch(warn);
  };
  return {
    async open(key, max) {
      const holder = `${holderPrefix}:${++opened}`;
      try {
        if (!(await leases.acquire(key, holder, max, ttlMs))) return undefined;
      } catch (error) {
        warn(error); // admitted; the renewals take the slot once the store answers again
      }
      held.set(holder, key);
      if (!renewal) {
        renewal = setInterval(renewAll, ttlMs / 3);
        renewal.unref();
      }
      return () => {
        if (!held.delete(holder)) return;
        if (held.size === 0) {
          clearInterval(renewal);
          renewal = undefined;
        }
        // A slot not freed here expires with its lease.
        leases
          .release(key, holder)
          .catch((error: unknown) => logger.debug({ err: error }, "a watch slot was not released"));
      };
    },
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
  const plain =
    address.startsWith("::ffff:") && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
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
