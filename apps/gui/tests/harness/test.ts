/**
 * The tests' `test`: a log of the page's API requests, and a check that the
 * console saw no error and no uncaught exception (unless a test expects them).
 */
import { test as base, expect, type Page, type Request } from "@playwright/test";

/** One request of the page to `/api/...`, as the API sees it (the `/api` prefix removed). */
export interface ApiRequest {
  readonly method: string;
  /** Path and query below `/api`, decoded: `/meshes/default/dataplanes+insights?size=50`. */
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly request: Request;
}

export interface ApiLog {
  readonly all: ApiRequest[];
  /** Forgets what was logged (before the action whose requests a test counts). */
  clear(): void;
  /**
   * The requests of the page itself: not the shell's (index, config, mesh
   * selector, sidebar counts), and not the change feed's watches (the live
   * updates' connections, §6, not reads of the page).
   */
  pageRequests(): ApiRequest[];
  /**
   * Waits until no read has been in flight for half a second: the page has
   * read what it shows. (The open watches never end, so the browser's
   * `networkidle` never comes.)
   */
  settled(): Promise<void>;
}

/** A watch of the change feed (watch.md §1): `?watch=true` or a mesh's `/events`. */
/** What the change feed promises (gui.md §6): a change shows within 2 s. */
export const FEED_WAIT_MS = 2000;

export function isWatchRequest(path: string): boolean {
  const url = new URL(path, "http://gui");
  return url.searchParams.get("watch") === "true" || /^\/meshes\/[^/]+\/events$/.test(url.pathname);
}

/**
 * Counts the watches of `counted` (an API path as ApiRequest.path has it)
 * open at once: `most()` is the most there ever were since this call.
 */
export function openWatches(page: Page, counted: (path: string) => boolean): { most(): number } {
  let open = 0;
  let most = 0;
  const isCounted = (request: Request): boolean => {
    const url = new URL(request.url());
    const path = url.pathname.slice(4) + url.search;
    return url.pathname.startsWith("/api/") && isWatchRequest(path) && counted(path);
  };
  page.on("request", (request) => {
    if (isCounted(request)) most = Math.max(most, ++open);
  });
  const ended = (request: Request): void => {
    if (isCounted(request)) open--;
  };
  page.on("requestfinished", ended);
  page.on("requestfailed", ended);
  return { most: () => most };
}

/** Requests the shell makes on every page (gui.md §7: they do not count against a page's budget). */
export function isShellRequest(path: string): boolean {
  return (
    path === "/" ||
    path === "/config" ||
    path.startsWith("/meshes?size=100") ||
    /[?&]size=1$/.test(path)
  );
}

export const test = base.extend<{ apiLog: ApiLog; allowConsoleErrors: boolean }>({
  allowConsoleErrors: [false, { option: true }],
  apiLog: async ({ page }, use) => {
    const all: ApiRequest[] = [];
    const reading = new Set<Request>();
    let lastEnded = Date.now();
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (url.pathname !== "/api" && !url.pathname.startsWith("/api/")) return;
      const path =
        decodeURIComponent(url.pathname.slice(4) || "/") + decodeURIComponent(url.search);
      all.push({ method: request.method(), path, headers: request.headers(), request });
      if (!isWatchRequest(path)) reading.add(request);
    });
    const ended = (request: Request) => {
      if (reading.delete(request)) lastEnded = Date.now();
    };
    page.on("requestfinished", ended);
    page.on("requestfailed", ended);
    await use({
      all,
      clear: () => all.splice(0),
      pageRequests: () => all.filter((r) => !isShellRequest(r.path) && !isWatchRequest(r.path)),
      settled: () =>
        expect
          .poll(() => reading.size === 0 && Date.now() - lastEnded >= 500, { timeout: 10_000 })
          .toBe(true),
    });
  },
  page: async ({ page, allowConsoleErrors }, use) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
    await use(page);
    if (!allowConsoleErrors) expect(errors, "console errors and uncaught exceptions").toEqual([]);
  },
});

export { expect };
