/** The watchers of one store: how both engines hand change events to listeners. */
import type { ChangeEvent, Unwatch } from "./contract.js";

/** A set of listeners that each receive every event. */
export class ChangeListeners {
  private readonly listeners = new Set<(event: ChangeEvent) => void>();

  /** Adds a listener; the returned function removes it. */
  add(listener: (event: ChangeEvent) => void): Unwatch {
    // A wrapper, so that the same function watched twice is called twice and unwatched once.
    const entry = (event: ChangeEvent): void => listener(event);
    this.listeners.add(entry);
    return async () => {
      this.listeners.delete(entry);
    };
  }

  /**
   * Calls every listener. A listener that throws does not stop the others
   * nor the engine: its error is rethrown on its own, as an uncaught
   * exception, the way an EventEmitter listener's would surface.
   */
  emit(event: ChangeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** Removes every listener. */
  clear(): void {
    this.listeners.clear();
  }
}
