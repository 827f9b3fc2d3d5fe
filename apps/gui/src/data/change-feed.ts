/**
 * The change feed as the GUI consumes it (watch.md): what to watch, and the
 * events, each carrying the resource as the client's GET of it decodes it.
 * The GUI depends on this interface only; the feed itself is the client's
 * `watch()` (an async iterable that resumes by itself and surfaces `reset`),
 * adapted in one place: `createClientChangeFeed`.
 */
import {
  ApiError,
  InvalidResponseError,
  type KumaClient,
  type NetworkError,
  type WatchEvent,
  type WatchOptions,
} from "@kuma-ts/client";
import { MeshType, resourceTypeByName, type ResourceType } from "@kuma-ts/model";

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

/**
 * One change (watch.md §2). `resource` is present for created and updated:
 * decoded with the model's codec, as the client's GET answers it.
 */
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

/**
 * A change feed: the events after `since` (a list's `Kuma-Resume-Token`),
 * until `signal` aborts. `onOpen` is called whenever the server starts the
 * stream (at first and after each resume): from then on the feed keeps the
 * page current, even while no change comes.
 */
export interface ChangeFeed {
  watch(
    target: WatchTarget,
    since: string | undefined,
    signal: AbortSignal,
    onOpen?: () => void,
  ): AsyncIterable<ChangeEvent>;
}

/** What the feed tells the rest of the GUI. */
export interface ClientChangeFeedOptions {
  /**
   * Each opening of a watch: undefined when the server started the stream,
   * the error when it could not be opened and is tried again (no answer, a
   * 5xx but 503): the API's connection state (§4).
   */
  readonly onOpen?: (error: ApiError | NetworkError | undefined) => void;
}

/**
 * The feed of this build: the client's watches. A watch that cannot be
 * opened because the server refuses it — a 503 (`Too many watches`, a store
 * that is down), any other 4xx, or an answer that is not an event stream
 * (a server without the feed) — ends in FeedRefused, and the GUI polls. A
 * lost API (no answer, 502) is retried by the client with back-off, and
 * the stream resumes where it was when the API is back.
 */
export function createClientChangeFeed(
  client: KumaClient,
  options: ClientChangeFeedOptions = {},
): ChangeFeed {
  return {
    async *watch(target, since, signal, onOpen) {
      const watchOptions: WatchOptions = {
        since,
        signal,
        retryOpen: (error) => {
          const retried =
            error instanceof ApiError ? error.status >= 500 && error.status !== 503 : true;
          // A refused watch is no news about the API: polling's own reads tell.
          if (retried) options.onOpen?.(error);
          return retried;
        },
        onOpen: () => {
          options.onOpen?.(undefined);
          onOpen?.();
        },
      };
      const events = watchOf(client, target, watchOptions);
      // Without a resume point the watch starts with a snapshot: the page, read before, may miss
      // what changed since, so it is read again once the snapshot is over. After a reset as well
      // (the page re-reads on the reset itself).
      let reread = since === undefined;
      try {
        for await (const event of events) {
          switch (event.kind) {
            case "snapshot":
              break;
            case "synced":
              if (reread) yield { kind: "reset", reason: "the watch started over" };
              reread = false;
              break;
            case "reset":
              reread = false;
              yield event;
              break;
            default:
              // created, updated or deleted: snapshot events are handled above.
              yield event as ChangeEvent;
          }
        }
      } catch (error) {
        if (error instanceof ApiError || error instanceof InvalidResponseError) {
          throw new FeedRefused(error.message);
        }
        throw error;
      }
    },
  };
}

/** The client's watch of a target. */
function watchOf(
  client: KumaClient,
  target: WatchTarget,
  options: WatchOptions,
): AsyncIterable<WatchEvent<unknown>> {
  switch (target.kind) {
    case "meshes":
      return client.resources(MeshType).watch(options);
    case "overviews":
      return client.watchDataplaneOverviews({ mesh: target.mesh, tags: target.tags, ...options });
    case "mesh-events": {
      const types: ResourceType[] = [];
      for (const name of target.types) {
        const type = resourceTypeByName(name);
        if (!type) throw new FeedRefused(`no such resource type: ${name}`);
        types.push(type);
      }
      return client.watchMeshEvents({ mesh: target.mesh, types, ...options });
    }
  }
}
