/** At most N tasks at a time; the others wait their turn in order (gui.md: at most 6 requests in flight). */

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  /** How many tasks are running now. */
  readonly active: number;
}

/** Browsers allow about six HTTP/1.1 connections per origin. */
export const MAX_IN_FLIGHT = 6;

export function createLimiter(max: number = MAX_IN_FLIGHT): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  const next = (): void => {
    if (active >= max) return;
    const start = waiting.shift();
    if (start) {
      active++;
      start();
    }
  };
  return {
    get active() {
      return active;
    },
    run<T>(task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push(() => {
          task()
            .then(resolve, reject)
            .finally(() => {
              active--;
              next();
            });
        });
        next();
      });
    },
  };
}
