import { DataplaneType } from "@kuma-ts/model";
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ResourceStore } from "../contract.js";
import { uniquePrefix } from "../test-support/redis.js";
import { dataplane, mesh } from "../test-support/resources.js";
import { RedisKeys } from "./keys.js";
import { PAGE_BATCH, readResourcePage, RECORD_CHUNK } from "./resource-page.js";
import { createRedisStore } from "./store.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

/** A property of a proxied client, its methods bound to the client itself. */
const bound = (target: Redis, property: string | symbol, receiver: unknown): unknown => {
  const value = Reflect.get(target, property, receiver) as unknown;
  return typeof value === "function"
    ? (value as (...args: unknown[]) => unknown).bind(target)
    : value;
};

const name = (i: number): string => `dp-${String(i).padStart(4, "0")}`;

describe("reading a long page of a collection", () => {
  const opened: ResourceStore[] = [];
  const clients: Redis[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
    for (const client of clients.splice(0)) client.disconnect();
  });

  /** A store whose mesh `m` holds `count` dataplanes, and the keys of that collection. */
  const seeded = async (count: number) => {
    const prefix = uniquePrefix("long");
    const store = createRedisStore({ url: redis.url, keyPrefix: prefix });
    opened.push(store);
    await store.create(mesh("m"));
    for (let i = 0; i < count; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, count - i) }, (_, j) =>
          store.create(dataplane("m", name(i + j))),
        ),
      );
    }
    const keys = new RedisKeys(prefix);
    return {
      store,
      keys: { names: keys.names("m", DataplaneType), items: keys.items("m", DataplaneType) },
    };
  };

  const client = (): Redis => {
    const created = new Redis(redis.port, { enableAutoPipelining: true });
    clients.push(created);
    return created;
  };

  /** A client on which `between` runs once, after the names are listed and before any chunk is read. */
  const interrupted = (between: () => Promise<unknown>): Redis => {
    const real = client();
    let done: Promise<unknown> | undefined;
    const multi = real.multi.bind(real);
    return new Proxy(real, {
      get(target, property, receiver) {
        if (property !== "multi") return bound(target, property, receiver);
        return () => {
          const transaction = multi();
          const exec = transaction.exec.bind(transaction);
          transaction.exec = async () => {
            done ??= between();
            await done;
            return await exec();
          };
          return transaction;
        };
      },
    });
  };

  it("reads 2,500 items in two round trips: the page script's batch with the names after it, then chunks", async () => {
    const { store, keys } = await seeded(2500);
    await store.list(DataplaneType, "m", { size: 1 }); // the script known to the server
    const monitor = await client().monitor();
    const seen: { args: string[]; source: string }[] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (args.some((arg) => arg.includes(keys.items) || arg.includes(keys.names)))
        seen.push({ args, source });
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const all = await store.list(DataplaneType, "m");
      expect(all.total).toBe(2500);
      expect(all.items.map((item) => item.resource.name)).toEqual(
        Array.from({ length: 2500 }, (_, i) => name(i)),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      monitor.disconnect();
    }
    const commands = (source: "lua" | "client") =>
      seen
        .filter((c) => (c.source === "lua") === (source === "lua"))
        .map((c) => `${c.args[0]?.toLowerCase()} ${c.args.length}`);
    expect(commands("client")).toEqual([
      "evalsha 7",
      "zrangebylex 7",
      "zlexcount 4",
      `hmget ${2 + RECORD_CHUNK}`,
      "zlexcount 4",
      `hmget ${2 + 2500 - PAGE_BATCH - RECORD_CHUNK}`,
    ]);
    expect(commands("lua")).toEqual(["zrangebylex 7", "zcard 2", `hmget ${2 + PAGE_BATCH}`]);
  });

  it("reads a page of up to 1,000 in one run of the page script", async () => {
    const { keys } = await seeded(1200);
    const page = await readResourcePage(client(), keys, name(99), 1000);
    expect(page.total).toBe(1200);
    expect(page.more).toBe(true);
    expect(page.entries.map(([n]) => n)).toEqual(
      Array.from({ length: 1000 }, (_, i) => name(100 + i)),
    );
  });

  it("reads a big page exactly, and says whether more follow", async () => {
    const { keys } = await seeded(2600);
    const page = await readResourcePage(client(), keys, name(99), 2000);
    expect(page.entries.map(([n]) => n)).toEqual(
      Array.from({ length: 2000 }, (_, i) => name(100 + i)),
    );
    expect(page.more).toBe(true);
    const rest = await readResourcePage(client(), keys, name(2099), 2000);
    expect(rest.entries).toHaveLength(500);
    expect(rest.more).toBe(false);
    const exact = await readResourcePage(client(), keys, name(1599), 1000 + 1000);
    expect(exact.entries).toHaveLength(1000);
    expect(exact.more).toBe(false);
  });

  it("ends the page before a chunk whose range gained an item after its names were listed", async () => {
    const { store, keys } = await seeded(2500);
    const page = await readResourcePage(
      interrupted(() => store.create(dataplane("m", `${name(2100)}a`))),
      keys,
      undefined,
      10_000,
    );
    // The first batch and the first chunk; the second chunk's range changed.
    expect(page.entries.map(([n]) => n)).toEqual(Array.from({ length: 2000 }, (_, i) => name(i)));
    expect(page.more).toBe(true);
    const all = await store.list(DataplaneType, "m");
    expect(all.items.map((item) => item.resource.name)).toContain(`${name(2100)}a`);
    expect(all.items).toHaveLength(2501);
  });

  it("ends the page before a chunk whose range lost an item, or gained one as it lost another", async () => {
    const { store, keys } = await seeded(2500);
    const lost = await readResourcePage(
      interrupted(() => store.delete(DataplaneType, "m", name(1500))),
      keys,
      undefined,
      10_000,
    );
    expect(lost.entries.map(([n]) => n)).toEqual(Array.from({ length: 1000 }, (_, i) => name(i)));
    expect(lost.more).toBe(true);
    const other = await seeded(2500);
    const swapped = await readResourcePage(
      interrupted(async () => {
        await other.store.delete(DataplaneType, "m", name(2200));
        await other.store.create(dataplane("m", `${name(2300)}a`));
      }),
      other.keys,
      undefined,
      10_000,
    );
    expect(swapped.entries.map(([n]) => n)).toEqual(
      Array.from({ length: 2000 }, (_, i) => name(i)),
    );
    expect(swapped.more).toBe(true);
  });

  it("ends the page after the first batch when a write in it shifted the names listed after it", async () => {
    const { store, keys } = await seeded(2500);
    const real = client();
    let script: Promise<unknown> | undefined;
    // Between the page script and the ZRANGEBYLEX of the names after its batch, an item of the batch goes.
    const shifted = new Proxy(real, {
      get(target, property, receiver) {
        if (property === "evalsha") {
          return (...args: Parameters<Redis["evalsha"]>) => (script = real.evalsha(...args));
        }
        if (property !== "zrangebylex") return bound(target, property, receiver);
        return async (...args: Parameters<Redis["zrangebylex"]>) => {
          await script;
          const other = new Redis(redis.port);
          try {
            await other.zrem(keys.names, name(10));
            await other.hdel(keys.items, name(10));
          } finally {
            other.disconnect();
          }
          return await real.zrangebylex(...args);
        };
      },
    });
    await readResourcePage(real, keys, undefined, 1); // the script known to the server
    const page = await readResourcePage(shifted, keys, undefined, 10_000);
    // The names listed start one too far (at dp-1001): the first chunk's range shows it.
    expect(page.entries.map(([n]) => n)).toEqual(Array.from({ length: 1000 }, (_, i) => name(i)));
    expect(page.more).toBe(true);
    const all = await store.list(DataplaneType, "m");
    expect(all.items).toHaveLength(2499);
    expect(all.items.map((item) => item.resource.name)).toContain(name(1000));
  });

  it("serves an update made between the round trips: a chunk's items are read at one instant", async () => {
    const { store, keys } = await seeded(2500);
    let version = "";
    const page = await readResourcePage(
      interrupted(async () => {
        version = (await store.update(dataplane("m", name(1234), { n: "1" }))).version;
      }),
      keys,
      undefined,
      10_000,
    );
    expect(page.entries).toHaveLength(2500);
    expect(page.more).toBe(false);
    expect(page.entries[1234]?.[1]).toMatch(new RegExp(`^${version} `));
  });

  it("keeps whole lists consistent while items are created and deleted", async () => {
    const { store } = await seeded(3000);
    let writing = true;
    const churn = (async () => {
      for (let i = 0; writing; i++) {
        await store.create(dataplane("m", `${name(i % 3000)}x`));
        await store.delete(DataplaneType, "m", `${name(i % 3000)}x`);
      }
    })();
    try {
      for (let round = 0; round < 20; round++) {
        const names = (await store.list(DataplaneType, "m")).items.map(
          (item) => item.resource.name,
        );
        expect(names).toEqual([...new Set(names)].sort());
        const stable = names.filter((n) => !n.endsWith("x"));
        expect(stable).toHaveLength(3000);
      }
    } finally {
      writing = false;
      await churn;
    }
  });
});
