/**
 * The GUI's entry: reads the GUI server's `/config`, builds the client on
 * its `apiUrl` (same origin: `/api`), the sources, live updates and the
 * connection state, rewrites a Kuma 0.4 `#/` bookmark, then mounts.
 */
import { ApiError, createClient } from "@kuma-ts/client";
import { createApp, ref } from "vue";
import App from "./App.vue";
import { APP_CONTEXT, type AppContext } from "./app-context.js";
import { createAuthSession } from "./api/auth-session.js";
import { loadGuiConfig } from "./api/gui-config.js";
import { toGuiError } from "./api/gui-error.js";
import { AUTH } from "./auth.js";
import { createClientChangeFeed } from "./data/change-feed.js";
import { createConnection } from "./data/connection.js";
import { createLimiter } from "./data/limiter.js";
import { createLiveUpdates, type LiveMode } from "./data/live-updates.js";
import { createSources } from "./data/sources.js";
import { vFlash } from "./flash.js";
import { routeOfLegacyHash } from "./model/legacy-links.js";
import { createGuiRouter } from "./router.js";
import { createTheme, THEME } from "./theme.js";
import "./styles/main.css";

/** How often relative times ("3 min ago") are recomputed. */
const CLOCK_TICK_MS = 10_000;
const LIVE_MODE_KEY = "kuma-gui.live";

const legacy = routeOfLegacyHash(window.location.hash);
if (legacy) window.history.replaceState(null, "", legacy);

const theme = createTheme();
const guiConfig = await loadGuiConfig();
const auth = createAuthSession();
const client = createClient({
  baseUrl: new URL(guiConfig.apiUrl, window.location.href).href,
  fetch: auth.wrap((input, init) => globalThis.fetch(input, init)),
});
const index = ref<AppContext["index"]["value"]>();
const readOnly = ref(false);
const now = ref(Date.now());
setInterval(() => (now.value = Date.now()), CLOCK_TICK_MS);

let configRead = false;
const connection = createConnection({
  probe: async () => {
    index.value = await client.index();
    // Read-only is read once: it only changes with a restart of the control plane.
    if (!configRead) {
      try {
        const config = await client.config();
        readOnly.value =
          (config.apiServer as { readOnly?: unknown } | undefined)?.readOnly === true;
      } catch (error) {
        // /config may be closed to this caller (access.static.controlPlaneMetadata): a write then tells.
        if (!(error instanceof ApiError && (error.status === 401 || error.status === 403)))
          throw error;
      }
      configRead = true;
    }
  },
  onRecovered: () => {
    for (const source of sources.active()) void source.refresh();
  },
});
const sources = createSources({ limiter: createLimiter(), onOutcome: connection.report });

const live = createLiveUpdates({
  sources,
  feed: createClientChangeFeed(client, {
    onOpen: (error) => connection.report(error === undefined ? undefined : toGuiError(error)),
  }),
  visibility: {
    hidden: () => document.hidden,
    onChange(listener) {
      document.addEventListener("visibilitychange", listener);
      return () => document.removeEventListener("visibilitychange", listener);
    },
  },
  modeStore: {
    load: () => {
      const stored = localStorage.getItem(LIVE_MODE_KEY);
      return stored === "push" || stored === "off" ? (stored as LiveMode) : undefined;
    },
    save: (mode) => localStorage.setItem(LIVE_MODE_KEY, mode),
  },
});

const context: AppContext = { client, guiConfig, sources, live, connection, index, readOnly, now };
void connection.retryNow();

createApp(App)
  .provide(APP_CONTEXT, context)
  .provide(THEME, theme)
  .provide(AUTH, {
    ...auth,
    onChanged: () => {
      configRead = false;
      // A read on its way carries the old token: read after it.
      for (const source of sources.active()) void source.readAfterNow();
    },
  })
  .directive("flash", vFlash)
  .use(createGuiRouter())
  .mount("#app");
