import type { Row } from "./compare.js";
import type { BenchContext } from "./context.js";

/** One line of the table (or a few, when one run measures several sides). */
export interface Benchmark {
  /** `get/memory`, `page/redis/overview/middle`, ...: what `--only` matches. */
  readonly id: string;
  run(ctx: BenchContext): Promise<Row | Row[]>;
}
