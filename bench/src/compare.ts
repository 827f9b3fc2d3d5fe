/**
 * Ours against a baseline: alternate rounds (baseline, ours, baseline,
 * ours, ...) after one discarded warm-up round of each, medians of the
 * rounds, and the ratio ours / baseline against a target.
 */
import { median } from "./load.js";

/** A target on the ratio ours / baseline. */
export interface Target {
  readonly op: ">=" | "<=";
  readonly value: number;
}

/** One line of the table. */
export interface Row {
  readonly id: string;
  readonly operation: string;
  readonly unit: string;
  readonly ours: number;
  readonly baseline: number;
  /** ours / baseline. */
  readonly ratio: number;
  readonly target: Target;
  /** Undefined in smoke mode (no thresholds). */
  readonly pass: boolean | undefined;
  readonly samples: { readonly ours: readonly number[]; readonly baseline: readonly number[] };
  /** What the baseline is, when it is not the operation's usual one. */
  readonly baselineName: string;
  readonly details?: Record<string, unknown>;
}

/** How many rounds, and whether to warm up. */
export interface Rounds {
  readonly rounds: number;
  readonly warmup: boolean;
}

/** Runs both sides in alternation and returns their per-round values. */
export async function alternate(
  rounds: Rounds,
  baseline: () => Promise<number>,
  ours: () => Promise<number>,
): Promise<{ ours: number[]; baseline: number[] }> {
  if (rounds.warmup) {
    await baseline();
    await ours();
  }
  const result = { ours: [] as number[], baseline: [] as number[] };
  for (let round = 0; round < rounds.rounds; round++) {
    result.baseline.push(await baseline());
    result.ours.push(await ours());
  }
  return result;
}

/** The row of two sides' samples. */
export function rowOf(options: {
  id: string;
  operation: string;
  unit: string;
  baselineName: string;
  target: Target;
  samples: { ours: number[]; baseline: number[] };
  thresholds: boolean;
  details?: Record<string, unknown>;
}): Row {
  const ours = median(options.samples.ours);
  const baseline = median(options.samples.baseline);
  const ratio = ours / baseline;
  const pass = options.thresholds
    ? options.target.op === ">="
      ? ratio >= options.target.value
      : ratio <= options.target.value
    : undefined;
  return {
    id: options.id,
    operation: options.operation,
    unit: options.unit,
    ours,
    baseline,
    ratio,
    target: options.target,
    pass,
    samples: options.samples,
    baselineName: options.baselineName,
    ...(options.details ? { details: options.details } : {}),
  };
}
