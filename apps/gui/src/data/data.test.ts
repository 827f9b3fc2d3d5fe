import { ApiError, NetworkError } from "@kuma-ts/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { toGuiError } from "../api/gui-error.js";
import { FeedRefused, type ChangeEvent, type ChangeFeed } from "./change-feed.js";
import { createConnection } from "./connection.js";
import { createLimiter } from "./limiter.js";
import { applyChange, applyToCollection, freshRows, mergePolledPage } from "./live-rows.js";
import {
  createLiveUpdates,
  RECENT_EVENTS_MS,
  type PageWatch,
  type Visibility,
} from "./live-updates.js";
import { createSource, type Fetched } from "./source.js";
import { createSources } from "./sources.js";

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a source", () => {
  it("sends the known ETag and keeps its data untouched on a 304", async () => {
    const seen: (string | undefined)[] = [];
    const answers: Fetched<{ v: number }>[] = [
      { changed: true, data: { v: 1 }, etag: "1" },
      { changed: false },
    ];
    const source = createSource("k", async (etag) => (seen.push(etag), answers.shift()!), {
      limiter: createLimiter(),
    });
    await source.refresh();
    const first = source.state.data;
    await source.refresh();
    expect(seen).toEqual([undefined, "1"]);
    expect(source.state.data).toBe(first);
    expect(source.state.updatedAt).toBeDefined();
  });

  it("keeps a list's data (same object) when the body hashes the same", async () => {
    let version = 1;
    const source = createSource("k", async () => ({ changed: true, data: { items: [version] } }), {
      limiter: createLimiter(),
    });
    await source.refresh();
    const first = source.state.data;
    await source.refresh();
    expect(source.state.data).toBe(first);
    version = 2;
    await source.refresh();
    expect(source.state.data).toEqual({ items: [2] });
  });

  it("keeps its last data when a refresh fails, and reports the outcome", async () => {
    const outcomes: unknown[] = [];
    let fail = false;
    const source = createSource(
      "k",
      async () => {
        if (fail)
          throw new NetworkError("GET", "http://x/api/", "connect ECONNREFUSED", false, undefined);
        return { changed: true, data: 1 };
      },
      { limiter: createLimiter(), onOutcome: (error) => outcomes.push(error?.kind) },
    );
    await source.refresh();
    fail = true;
    await source.refresh();
    expect(source.state).toMatchObject({ data: 1, error: { kind: "unreachable", status: 0 } });
    expect(outcomes).toEqual([undefined, "unreachable"]);
  });

  it("keeps a list's resume token with the time its read was sent, not answered", async () => {
    let clock = 100;
    const source = createSource(
      "k",
      async () => {
        clock += 50; // the answer takes 50 ms
        return { changed: true, data: [], resumeToken: `token-${clock}` };
      },
      { limiter: createLimiter(), now: () => clock },
    );
    await source.refresh();
    expect(source.state).toMatchObject({ resumeToken: "token-150", readAt: 100, updatedAt: 150 });
  });

  it("shares one request between refreshes that overlap", async () => {
    let calls = 0;
    const source = createSource("k", async () => (calls++, { changed: true, data: calls }), {
      limiter: createLimiter(),
    });
    await Promise.all([source.refresh(), source.refresh()]);
    expect(calls).toBe(1);
  });
});

describe("a read after now", () => {
  /** A source whose reads wait to be answered, one by one, with the number of the read. */
  const heldSource = (limiter = createLimiter()) => {
    const answers: (() => void)[] = [];
    const source = createSource(
      "k",
      () =>
        new Promise<Fetched<number>>((resolve) => {
          const read = answers.length + 1;
          answers.push(() => resolve({ changed: true, data: read }));
        }),
      { limiter },
    );
    return { source, answers };
  };

  it("reads once when no read is on its way", async () => {
    const { source, answers } = heldSource();
    const done = source.readAfterNow();
    expect(answers).toHaveLength(1);
    answers[0]!();
    await done;
    expect(source.state.data).toBe(1);
    expect(answers).toHaveLength(1);
  });

  it("reads exactly once more after a read on its way, and resolves with that read", async () => {
    const { source, answers } = heldSource();
    void source.refresh();
    let done = false;
    const after = source.readAfterNow().then(() => (done = true));
    await flush();
    expect(answers).toHaveLength(1); // not beside the read on its way: after it
    answers[0]!();
    await flush();
    expect(source.state.data).toBe(1);
    expect(done).toBe(false);
    expect(answers).toHaveLength(2);
    answers[1]!();
    await after;
    expect(source.state.data).toBe(2);
    await flush();
    expect(answers).toHaveLength(2);
  });

  it("makes one more read for several calls during one read", async () => {
    const { source, answers } = heldSource();
    void source.refresh();
    const calls = [source.readAfterNow(), source.readAfterNow(), source.readAfterNow()];
    answers[0]!();
    await flush();
    expect(answers).toHaveLength(2);
    answers[1]!();
    await Promise.all(calls);
    await flush();
    expect(answers).toHaveLength(2);
    expect(source.state.data).toBe(2);
  });

  it("asked during the one more read, reads once more after it", async () => {
    const { source, answers } = heldSource();
    void source.refresh();
    void source.readAfterNow();
    answers[0]!();
    await flush();
    const last = source.readAfterNow();
    answers[1]!();
    await flush();
    expect(answers).toHaveLength(3);
    answers[2]!();
    await last;
    expect(source.state.data).toBe(3);
  });

  it("shares a read the limiter still holds back: it has not been sent yet", async () => {
    const limiter = createLimiter(1);
    let release!: () => void;
    const busy = limiter.run(() => new Promise<void>((resolve) => (release = resolve)));
    const { source, answers } = heldSource(limiter);
    void source.refresh();
    const after = source.readAfterNow();
    release();
    await busy;
    await flush();
    expect(answers).toHaveLength(1);
    answers[0]!();
    await flush();
    expect(answers).toHaveLength(1);
    await after;
    expect(source.state.data).toBe(1);
  });
});

describe("the sources", () => {
  it("are shared by key and forgotten when their last user leaves", () => {
    const sources = createSources({ limiter: createLimiter() });
    const a = sources.get("/x", async () => ({ changed: true, data: 1 }));
    expect(sources.get("/x", async () => ({ changed: true, data: 2 }))).toBe(a);
    const first = a.subscribe();
    const second = a.subscribe();
    first();
    expect(sources.active()).toEqual([a]);
    second();
    expect(sources.active()).toEqual([]);
  });
});

describe("the limiter", () => {
  it("runs at most six tasks at a time", async () => {
    const limiter = createLimiter();
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        limiter.run(async () => {
          most = Math.max(most, ++running);
          await flush();
          running--;
        }),
      ),
    );
    expect(most).toBe(6);
  });
});

describe("live rows", () => {
  const nameOf = (item: { name: string; v?: number }) => item.name;
  const page = freshRows<{ name: string; v?: number }>([{ name: "b" }, { name: "d" }], nameOf);

  it("update rows in place, grey out rows gone and count new names when a page is polled again", () => {
    const next = mergePolledPage(page, [{ name: "a" }, { name: "b", v: 2 }], nameOf);
    expect(next.rows.map((row) => [row.name, row.deleted, row.item.v])).toEqual([
      ["b", false, 2],
      ["d", true, undefined],
    ]);
    expect(next.pending).toBe(1);
  });

  it("apply a feed's events: updated in place, deleted greyed, created inside the page counted", () => {
    const toItem = (resource: unknown) => resource as { name: string; v?: number };
    const event = (kind: "created" | "updated" | "deleted", name: string): ChangeEvent =>
      kind === "deleted"
        ? { kind, type: "T", name, version: "2" }
        : { kind, type: "T", name, version: "2", resource: { name, v: 9 } };
    const middle = { isLastPage: false };
    expect(applyChange(page, event("updated", "d"), middle, toItem).rows[1]!.item.v).toBe(9);
    expect(applyChange(page, event("updated", "z"), middle, toItem)).toBe(page);
    expect(applyChange(page, event("deleted", "b"), middle, toItem).rows[0]!.deleted).toBe(true);
    expect(applyChange(page, event("created", "c"), middle, toItem).pending).toBe(1);
    expect(applyChange(page, event("created", "z"), middle, toItem).pending).toBe(0); // sorts after the page
    expect(applyChange(page, event("created", "z"), { isLastPage: true }, toItem).pending).toBe(1);
    expect(applyChange(page, event("deleted", "a"), middle, toItem).pending).toBe(1); // the page shifts
  });

  it("apply a feed's events to a whole collection: created in name order, updated in place, deleted gone", () => {
    const items = [{ name: "b" }, { name: "d" }];
    const toItem = (resource: unknown) => resource as { name: string; v?: number };
    const apply = (event: ChangeEvent) =>
      applyToCollection<{ name: string; v?: number }>(items, event, nameOf, toItem);
    const made = (name: string) => ({ name, v: 9 });
    const names = (list: readonly { name: string }[]) => list.map(nameOf);
    expect(
      names(apply({ kind: "created", type: "T", name: "a", version: "1", resource: made("a") })),
    ).toEqual(["a", "b", "d"]);
    expect(
      names(apply({ kind: "created", type: "T", name: "c", version: "1", resource: made("c") })),
    ).toEqual(["b", "c", "d"]);
    expect(
      names(apply({ kind: "created", type: "T", name: "e", version: "1", resource: made("e") })),
    ).toEqual(["b", "d", "e"]);
    expect(
      apply({ kind: "updated", type: "T", name: "d", version: "2", resource: made("d") }),
    ).toEqual([{ name: "b" }, { name: "d", v: 9 }]);
    expect(names(apply({ kind: "deleted", type: "T", name: "b", version: "2" }))).toEqual(["d"]);
    expect(apply({ kind: "deleted", type: "T", name: "x", version: "2" })).toBe(items);
    expect(apply({ kind: "reset", reason: "too old" })).toBe(items);
  });
});

describe("live updates", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = (feed: ChangeFeed, mode: "push" | "off" = "push") => {
    let hidden = false;
    const listeners: (() => void)[] = [];
    const visibility: Visibility = {
      hidden: () => hidden,
      onChange: (l) => (listeners.push(l), () => undefined),
    };
    const sources = createSources({ limiter: createLimiter() });
    let reads = 0;
    const source = sources.get("/list", async () => (reads++, { changed: true, data: reads }));
    source.subscribe();
    let saved: string | undefined;
    const live = createLiveUpdates({
      sources,
      feed,
      visibility,
      modeStore: { load: () => mode, save: (m) => (saved = m) },
    });
    const setHidden = (value: boolean) => {
      hidden = value;
      for (const listener of listeners) listener();
    };
    return { live, reads: () => reads, setHidden, saved: () => saved };
  };
  const refused: ChangeFeed = {
    // eslint-disable-next-line require-yield -- refused before the first event
    async *watch() {
      throw new FeedRefused("503");
    },
  };

  it("polls every 5 s, not while the page is hidden, and at once when it shows again", async () => {
    const { live, reads, setHidden } = setup(refused);
    await vi.advanceTimersByTimeAsync(5000);
    expect(reads()).toBe(1);
    setHidden(true);
    await vi.advanceTimersByTimeAsync(15_000);
    expect(reads()).toBe(1);
    setHidden(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(reads()).toBe(2);
    live.stop();
  });

  it("polls nothing with Live off, and keeps the choice", async () => {
    const { live, reads, saved } = setup(refused);
    live.setMode("off");
    await vi.advanceTimersByTimeAsync(15_000);
    expect(reads()).toBe(0);
    expect(saved()).toBe("off");
    expect(live.feedState.value).toBe("off");
    live.stop();
  });

  it("falls back to polling when the feed is refused, and tries the feed again after 60 s", async () => {
    let watches = 0;
    const feed: ChangeFeed = {
      // eslint-disable-next-line require-yield -- refused before the first event
      async *watch() {
        watches++;
        throw new FeedRefused("503 Too many watches");
      },
    };
    const { live } = setup(feed);
    const stop = live.watchPage({
      target: { kind: "meshes" },
      since: "t1",
      readAt: 0,
      sourceKeys: () => ["/list"],
      onEvent: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(live.feedState.value).toBe("polling");
    expect(watches).toBe(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(watches).toBe(2);
    stop();
    live.stop();
  });

  it("falls back to polling after three failures in a row", async () => {
    let watches = 0;
    const feed: ChangeFeed = {
      // eslint-disable-next-line require-yield -- fails before the first event
      async *watch() {
        watches++;
        throw new Error("stream cut");
      },
    };
    const { live } = setup(feed);
    const stop = live.watchPage({
      target: { kind: "meshes" },
      since: undefined,
      readAt: 0,
      sourceKeys: () => ["/list"],
      onEvent: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(watches).toBe(1);
    expect(live.feedState.value).not.toBe("push");
    await vi.advanceTimersByTimeAsync(2000); // one second between attempts
    expect(watches).toBe(3);
    expect(live.feedState.value).toBe("polling");
    stop();
    live.stop();
  });

  it("an open feed keeps its sources out of polling before any event comes", async () => {
    let release: () => void = () => undefined;
    const feed: ChangeFeed = {
      // eslint-disable-next-line require-yield -- a quiet stream: open, no change yet
      async *watch(_target, _since, _signal, onOpen) {
        onOpen?.();
        await new Promise<void>((resolve) => (release = resolve));
      },
    };
    const { live, reads } = setup(feed);
    const stop = live.watchPage({
      target: { kind: "meshes" },
      since: "token-1",
      readAt: 0,
      sourceKeys: () => ["/list"],
      onEvent: () => undefined,
    });
    await vi.advanceTimersByTimeAsync(12_000);
    expect(live.feedState.value).toBe("push");
    expect(reads()).toBe(0);
    stop();
    release();
    live.stop();
  });

  it("hands the feed's events to the page from the list's resume token, and does not poll what the feed keeps current", async () => {
    const sinces: (string | undefined)[] = [];
    let release: () => void = () => undefined;
    const feed: ChangeFeed = {
      async *watch(_target, since) {
        sinces.push(since);
        yield { kind: "updated", type: "Mesh", name: "m", version: "2", resource: { name: "m" } };
        await new Promise<void>((resolve) => (release = resolve));
      },
    };
    const { live, reads } = setup(feed);
    const events: ChangeEvent[] = [];
    const stop = live.watchPage({
      target: { kind: "meshes" },
      since: "token-7",
      readAt: 0,
      sourceKeys: () => ["/list"],
      onEvent: (e) => events.push(e),
    });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sinces).toEqual(["token-7"]);
    expect(events.map((e) => e.kind)).toEqual(["updated"]);
    expect(live.feedState.value).toBe("push");
    expect(reads()).toBe(0);
    stop();
    release();
    live.stop();
  });

  /** A feed whose streams the test drives: each open stream takes the events pushed while it is open. */
  const drivenFeed = () => {
    const opened: { since: string | undefined; signal: AbortSignal }[] = [];
    let push: (event: ChangeEvent) => void = () => undefined;
    const feed: ChangeFeed = {
      async *watch(_target, since, signal, onOpen) {
        opened.push({ since, signal });
        onOpen?.();
        const queue: ChangeEvent[] = [];
        let wake: () => void = () => undefined;
        push = (event) => {
          queue.push(event);
          wake();
        };
        signal.addEventListener("abort", () => wake());
        while (!signal.aborted) {
          const event = queue.shift();
          if (event) yield event;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
    return { feed, opened, push: (event: ChangeEvent) => push(event) };
  };
  const updated = (name: string): ChangeEvent => ({
    kind: "updated",
    type: "Mesh",
    name,
    version: "2",
    resource: { name },
  });
  const view = (since: string, readAt: number, keys: () => readonly string[] = () => []) => {
    const events: ChangeEvent[] = [];
    const watch: PageWatch = {
      target: { kind: "meshes" },
      since,
      readAt,
      sourceKeys: keys,
      onEvent: (event) => events.push(event),
    };
    return { watch, events };
  };

  it("shares one stream between the views of one target: opened from the first view's token, closed with the last", async () => {
    const { feed, opened, push } = drivenFeed();
    const { live } = setup(feed);
    const selector = view("token-1", Date.now());
    const stopSelector = live.watchPage(selector.watch);
    await vi.advanceTimersByTimeAsync(0);
    const overview = view("token-2", Date.now());
    const stopOverview = live.watchPage(overview.watch);
    push(updated("a"));
    await vi.advanceTimersByTimeAsync(0);
    expect(opened.map((stream) => stream.since)).toEqual(["token-1"]);
    expect(selector.events.map((e) => e.kind === "updated" && e.name)).toEqual(["a"]);
    expect(overview.events.map((e) => e.kind === "updated" && e.name)).toEqual(["a"]);
    stopSelector();
    expect(opened[0]!.signal.aborted).toBe(false);
    push(updated("b"));
    await vi.advanceTimersByTimeAsync(0);
    expect(overview.events).toHaveLength(2);
    expect(selector.events).toHaveLength(1);
    stopOverview();
    expect(opened[0]!.signal.aborted).toBe(true);
    // A new view opens a new stream, from its own token.
    const stop = live.watchPage(view("token-3", Date.now()).watch);
    await vi.advanceTimersByTimeAsync(0);
    expect(opened.map((stream) => stream.since)).toEqual(["token-1", "token-3"]);
    stop();
    live.stop();
  });

  it("hands a joining view what the stream brought since its read was sent, and a reset when that is no longer kept", async () => {
    const { feed, push } = drivenFeed();
    const { live } = setup(feed);
    const stopFirst = live.watchPage(view("token-1", Date.now()).watch);
    await vi.advanceTimersByTimeAsync(0);
    push(updated("before"));
    await vi.advanceTimersByTimeAsync(1000);
    const readAt = Date.now(); // the joining view's list is read now, and answered after this change:
    push(updated("after"));
    await vi.advanceTimersByTimeAsync(1000);
    const joining = view("token-2", readAt);
    const stopJoining = live.watchPage(joining.watch);
    await vi.advanceTimersByTimeAsync(0);
    expect(joining.events.map((e) => e.kind === "updated" && e.name)).toEqual(["after"]);

    await vi.advanceTimersByTimeAsync(RECENT_EVENTS_MS);
    push(updated("later")); // "before" and "after" are forgotten now
    await vi.advanceTimersByTimeAsync(0);
    const late = view("token-3", readAt);
    const stopLate = live.watchPage(late.watch);
    await vi.advanceTimersByTimeAsync(0);
    expect(late.events.map((e) => e.kind)).toEqual(["reset"]);
    stopFirst();
    stopJoining();
    stopLate();
    live.stop();
  });

  it("leaves alone, while the stream is open, the sources its views name at the time of each poll", async () => {
    const { feed } = drivenFeed();
    const { live, reads } = setup(feed);
    let keys: string[] = ["/list"];
    const stop = live.watchPage(view("token-1", Date.now(), () => keys).watch);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(reads()).toBe(0);
    keys = [];
    await vi.advanceTimersByTimeAsync(5000);
    expect(reads()).toBe(1);
    stop();
    live.stop();
  });
});

describe("the connection", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("is unreachable when the API never answered, retries after 5 s backing off to 30 s, and recovers", async () => {
    let up = false;
    let probes = 0;
    let recovered = 0;
    const connection = createConnection({
      probe: async () => {
        probes++;
        if (!up)
          throw new ApiError(
            "GET",
            "http://x/api/",
            502,
            "API server unreachable",
            "Bad Gateway",
            [],
            "",
          );
      },
      onRecovered: () => recovered++,
    });
    await connection.retryNow();
    expect(connection.status.value).toBe("unreachable");
    for (const delay of [5000, 10_000, 20_000, 30_000, 30_000]) {
      const before = probes;
      await vi.advanceTimersByTimeAsync(delay);
      expect(probes, `after ${delay} ms`).toBe(before + 1);
    }
    up = true;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(connection.status.value).toBe("connected");
    expect(recovered).toBe(1);
    connection.stop();
  });

  it("is reconnecting (the API was lost) after a success, and ignores errors the API itself answered", async () => {
    const connection = createConnection({
      probe: async () => undefined,
      onRecovered: () => undefined,
    });
    await connection.retryNow();
    connection.report(
      toGuiError(
        new ApiError("GET", "http://x/api/m", 500, "Boom", "Internal Server Error", [], ""),
      ),
    );
    expect(connection.status.value).toBe("connected");
    connection.report(
      toGuiError(new NetworkError("GET", "http://x/api/m", "reset", false, undefined)),
    );
    expect(connection.status.value).toBe("reconnecting");
    connection.stop();
  });
});

describe("errors", () => {
  const api = (status: number, body: string, title = "", details = "") =>
    new ApiError("GET", "http://x/api/m", status, title, details, [], body);

  it("keep a Kuma error body as it is, and make a plain-text body the title", () => {
    expect(toGuiError(api(400, "{}", "Could not retrieve resources", "Bad Request"))).toMatchObject(
      { kind: "other", status: 400, title: "Could not retrieve resources", details: "Bad Request" },
    );
    expect(toGuiError(api(404, "404 page not found\n"))).toMatchObject({
      kind: "not-found",
      title: "404 page not found",
    });
  });

  it("are not found only for a 404; no answer or a 502 is unreachable; a 503 is the store", () => {
    expect(toGuiError(api(500, "", "Could not", "Internal Server Error")).kind).toBe("other");
    expect(toGuiError(api(502, "", "API server unreachable", "Bad Gateway"))).toMatchObject({
      kind: "unreachable",
      status: 502,
      title: "API server unreachable",
    });
    expect(
      toGuiError(new NetworkError("GET", "http://x/", "ECONNREFUSED", false, undefined)),
    ).toMatchObject({ kind: "unreachable", status: 0 });
    expect(toGuiError(api(503, "", "Could not", "Service Unavailable"))).toMatchObject({
      kind: "unavailable",
      title: "The control plane's store is unavailable",
    });
  });
});
