/** What every view of the GUI shares: the API client, the sources, live updates and the connection state. */
import type { IndexInfo, KumaClient } from "@kuma-ts/client";
import { inject, type InjectionKey, type Ref } from "vue";
import type { GuiConfig } from "./api/gui-config.js";
import type { Connection } from "./data/connection.js";
import type { LiveUpdates } from "./data/live-updates.js";
import type { Sources } from "./data/sources.js";

export interface AppContext {
  readonly client: KumaClient;
  readonly guiConfig: GuiConfig;
  readonly sources: Sources;
  readonly live: LiveUpdates;
  readonly connection: Connection;
  /** `GET /api/`: tagline and version. */
  readonly index: Ref<IndexInfo | undefined>;
  /** The API is read-only (`apiServer.readOnly`, or a write answered 405). */
  readonly readOnly: Ref<boolean>;
  /** The time relative times are computed from; ticks slowly so that they stay true. */
  readonly now: Ref<number>;
}

export const APP_CONTEXT: InjectionKey<AppContext> = Symbol("kuma-gui");

/** The app's shared context (inside components only). */
export function useApp(): AppContext {
  const context = inject(APP_CONTEXT);
  if (!context) throw new Error("the GUI's context is not provided");
  return context;
}
