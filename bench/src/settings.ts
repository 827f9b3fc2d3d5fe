/** The two modes: the full benchmark, and a smoke run that only proves everything still works. */
import type { Rounds } from "./compare.js";
import type { LoadSettings } from "./load.js";

export interface Settings {
  readonly mode: "full" | "smoke";
  /** Whether ratios are judged against their targets (not in smoke mode). */
  readonly thresholds: boolean;
  readonly sizes: {
    /** Dataplanes in the small mesh of the paging comparison (1,000). */
    readonly small: number;
    /** Dataplanes in the big mesh (100,000). */
    readonly big: number;
    /** Dataplanes of the whole-collection list (10,000). */
    readonly whole: number;
    /** Dataplanes the PUT benchmark updates in turn. */
    readonly writes: number;
    /** The page size of the paging comparison (100). */
    readonly page: number;
    /** The inspection mesh: its dataplanes (10,000) and its policies of each type (1,000). */
    readonly inspection: { readonly dataplanes: number; readonly policies: number };
  };
  /** How long one round of an inspection benchmark repeats its request, one at a time. */
  readonly inspectionSeconds: number;
  /** GET and PUT throughput. */
  readonly throughput: LoadSettings;
  /** Paged lists: one connection, so that latency is service time. */
  readonly latency: LoadSettings;
  /** The whole-collection list: one connection. */
  readonly wholeList: LoadSettings;
  /** PUTs of one key by many writers at once. */
  readonly contested: LoadSettings;
  readonly rounds: Rounds;
  readonly cliRuns: number;
  readonly startupRuns: number;
  /** Seconds to let the memory server settle before reading its RSS. */
  readonly settleSeconds: number;
}

export const FULL: Settings = {
  mode: "full",
  thresholds: true,
  sizes: {
    small: 1_000,
    big: 100_000,
    whole: 10_000,
    writes: 1_000,
    page: 100,
    inspection: { dataplanes: 10_000, policies: 1_000 },
  },
  inspectionSeconds: 3,
  throughput: { connections: 10, seconds: 3 },
  latency: { connections: 1, seconds: 1.5 },
  wholeList: { connections: 1, seconds: 3 },
  contested: { connections: 32, seconds: 5 },
  rounds: { rounds: 5, warmup: true },
  cliRuns: 20,
  startupRuns: 10,
  settleSeconds: 5,
};

export const SMOKE: Settings = {
  mode: "smoke",
  thresholds: false,
  sizes: { small: 20, big: 200, whole: 100, writes: 20, page: 5, inspection: { dataplanes: 100, policies: 10 } },
  inspectionSeconds: 0.2,
  throughput: { connections: 4, seconds: 0.25 },
  latency: { connections: 1, seconds: 0.2 },
  wholeList: { connections: 1, seconds: 0.2 },
  contested: { connections: 32, seconds: 0.25 },
  rounds: { rounds: 1, warmup: false },
  cliRuns: 2,
  startupRuns: 2,
  settleSeconds: 0.2,
};
