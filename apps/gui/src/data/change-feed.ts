/**
 * The change feed as the GUI consumes it (watch.md): what to watch, and the
 * events, each carrying the resource exactly as a GET answers it. The GUI
 * depends on this interface only; the feed itself is the client's `watch()`
 * (an async iterable that resumes by itself and surfaces `reset`), adapted
 * in one place: `createClientChangeFeed`.
 */

/** What a page watches (watch.md §1); at most two watches are open at once (six connections per origin). */
export type WatchTarget =
  /** `GET /meshes?watch=true`: the mesh selector, the overview and the meshes page. */
  | { readonly kind: "meshes" }
  /** `GET /meshes/{mesh}/dataplanes+insights?watch=true[&tag…]`: the dataplanes page. */
  | {
      readonly kind: "overviews";
      readonly mesh: string;
      readonly tags: Readonly<Record<string, string>>;
    }
  /** `GET /meshes/{mesh}/events?type=…`: the other pages of a mesh, restricted to the types they show. */
  | { readonly kind: "mesh-events"; readonly mesh: string; readonly types: readonly string[] };

/** One change (watch.md §2). `resource` is present for created and updated. */
export type ChangeEvent =
  | {
      readonly kind: "created" | "updated";
      readonly type: string;
      readonly mesh?: string;
      readonly name: string;
      readonly version: string;
      readonly resource: unknown;
    }
  | {
      readonly kind: "deleted";
      readonly type: string;
      readonly mesh?: string;
      readonly name: string;
      readonly version: string;
    }
  /** The resume point was too old: what the page shows must be read again. */
  | { readonly kind: "reset"; readonly reason: string };

/** The feed refused the watch (503 `Too many watches`, or no feed at this server): poll instead. */
export class FeedRefused extends Error {
  override readonly name = "FeedRefused";
}

/** A change feed: the events after `since` (a list's `Kuma-Resume-Token`), until `signal` aborts. */
export interface ChangeFeed {
  watch(
    target: WatchTarget,
    since: string | undefined,
    signal: AbortSignal,
  ): AsyncIterable<ChangeEvent>;
}

/**
 * The feed of this build. The client's `watch()` (watch.md §6) plugs in
 * here; until it does, every watch is refused and the GUI polls
 * conditionally, which is what it does whenever a feed is refused.
 */
export function createClientChangeFeed(): ChangeFeed {
  return {
    // eslint-disable-next-line require-yield -- refused before the first event
    async *watch() {
      throw new FeedRefused("this client has no change feed: polling");
    },
  };
}
