/**
 * @kuma-ts/cli — kumactl, the command-line client of the Kuma control plane.
 * The `kumactl` bin is `src/main.ts`; this module is for running it in-process.
 *
 * @example
 * const status = await runKumactl(["get", "meshes"], { stdout: process.stdout, stderr: process.stderr });
 */
export { createProgram, runKumactl } from "./program.js";
export type { KumactlDependencies, TextSink } from "./program.js";
export type { BuildInfo } from "./build-info.js";
