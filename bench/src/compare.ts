/**
 * Ours against a baseline: alternate rounds (baseline, ours, then ours,
 * baseline, ...) after one discarded warm-up round of each, medians of the
 * rounds, and the ratio ours / baseline against a target.
 */
import { median } from "./load.js";

/** A target on the ratio ours / baseline, or with `absolute` on ours itself (in the row's unit). */
export interface Target {
  readonly op: ">=" | "<=";
  readonly value: number;
  readonly absolute?: boolean;
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
  /** Absent for an informational row. */
  readonly target?: Target;
  /** Undefined in smoke mode (no thresholds) and for informational rows. */
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
  const [baselineSamples, oursSamples] = await alternateAll(rounds, [baseline, ours]);
  return { ours: oursSamples as number[], baseline: baselineSamples as number[] };
}

/**
 * Runs several sides in turn, round after round (the warm-up round
 * discarded); their per-round values. Each round starts with the next side:
 * going first is worth something (two identical builds of kuma-cp started
 * about 8 ms, 3%, faster when always first), so no side may keep that place.
 */
export async function alternateAll(rounds: Rounds, sides: readonly (() => Promise<number>)[]): Promise<number[][]> {
  if (rounds.warmup) for (const side of sides) await side();
  const result = sides.map(() => [] as number[]);
  for (let round = 0; round < rounds.rounds; round++) {
    for (let turn = 0; turn < sides.length; turn++) {
      const i = (round + turn) % sides.length;
      result[i]?.push(await sides[i]!());
    }
  }
  return result;
}

/** The row of two sides' samples. */
export function rowOf(options: {
  id: string;
  operation: string;
  unit: string;
  baselineName: string;
  /** Absent for an informational row (a figure to explain others, judged against nothing). */
  target?: Target;
  samples: { ours: number[]; baseline: number[] };
  thresholds: boolean;
  details?: Record<string, unknown>;
}): Row {
  const ours = median(options.samples.ours);
  const baseline = median(options.samples.baseline);
  const ratio = ours / baseline;
  const target = options.target;
  const judged = target?.absolute ? ours : ratio;
  const pass =
    options.thresholds && target ? (target.op === ">=" ? judged >= target.value : judged <= target.value) : undefined;
  return {
    id: options.id,
    operation: options.operation,
    unit: options.unit,
    ours,
    baseline,
    ratio,
    ...(target ? { target } : {}),
    pass,
    samples: options.samples,
    baselineName: options.baselineName,
    ...(options.details ? { details: options.details } : {}),
  };
}
