/** Reads a watch in the background so that tests can wait for its events one by one. */

/** A watch being read. */
export interface WatchReader<E> {
  /** Every event received so far. */
  readonly received: E[];
  /** The next event not taken yet, within `timeoutMs`. */
  next(timeoutMs?: number): Promise<E>;
  /** The next `count` events. */
  take(count: number, timeoutMs?: number): Promise<E[]>;
  /** The events up to the first that satisfies `done` (included). */
  until(done: (event: E) => boolean, timeoutMs?: number): Promise<E[]>;
  /** Resolves when the iteration ended; rejects with what it threw. */
  readonly ended: Promise<void>;
}

/** Starts reading `iterable`. */
export function readWatch<E>(iterable: AsyncIterable<E>): WatchReader<E> {
  const received: E[] = [];
  let cursor = 0;
  let finished = false;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const ended = (async () => {
    try {
      for await (const event of iterable) {
        received.push(event);
        notify();
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      finished = true;
      notify();
    }
  })();
  ended.catch(() => undefined);

  const next = async (timeoutMs = 10_000): Promise<E> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (cursor < received.length) return received[cursor++] as E;
      if (finished) {
        throw new Error(
          `the watch ended${failure ? ` with ${String(failure)}` : ""}; received: ${JSON.stringify(received)}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no event within ${timeoutMs} ms; received: ${JSON.stringify(received)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  return {
    received,
    next,
    async take(count, timeoutMs) {
      const events: E[] = [];
      for (let i = 0; i < count; i++) events.push(await next(timeoutMs));
      return events;
    },
    async until(done, timeoutMs) {
      const events: E[] = [];
      for (;;) {
        const event = await next(timeoutMs);
        events.push(event);
        if (done(event)) return events;
      }
    },
    ended,
  };
}
