/**
 * The sources of the mounted views, one per key (the API URL they read):
 * two views of the same URL share one source and one request. A source is
 * forgotten when its last subscriber leaves.
 */
import { createSource, type Fetcher, type OutcomeListener, type Source } from "./source.js";
import type { Limiter } from "./limiter.js";

export interface Sources {
  /** The source of `key`, created with `fetcher` when there is none. */
  get<T>(key: string, fetcher: Fetcher<T>): Source<T>;
  /** Every source in use. */
  active(): Source<unknown>[];
}

export function createSources(options: { limiter: Limiter; onOutcome?: OutcomeListener }): Sources {
  const byKey = new Map<string, Source<unknown>>();
  return {
    get<T>(key: string, fetcher: Fetcher<T>): Source<T> {
      let source = byKey.get(key) as Source<T> | undefined;
      if (!source) {
        const created: Source<T> = createSource(key, fetcher, {
          limiter: options.limiter,
          ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
          onUnused: () => {
            if (byKey.get(key) === created) byKey.delete(key);
          },
        });
        byKey.set(key, created as Source<unknown>);
        source = created;
      }
      return source;
    },
    active: () => [...byKey.values()],
  };
}
