/**
 * Bundles the `kuma-cp` bin into one ESM file, `dist/kuma-cp.js`: every
 * dependency inside, so that start-up reads and compiles one file instead
 * of resolving and loading hundreds of modules (most of `kuma-cp run`'s
 * time to its first answer). `dist/main.js` (tsc's) stays what the tests run.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  entryPoints: [path.join(packageDir, "src", "main.ts")],
  outfile: path.join(packageDir, "dist", "kuma-cp.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  // Workspace packages are bundled from their TypeScript sources.
  conditions: ["source"],
  // CommonJS dependencies (koa, pino, ioredis, prom-client) require Node's built-ins.
  banner: {
    js: 'import { createRequire as __kumaCpRequire } from "node:module"; const require = __kumaCpRequire(import.meta.url);',
  },
  logLevel: "warning",
});
