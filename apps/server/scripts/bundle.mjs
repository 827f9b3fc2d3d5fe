/**
 * Bundles the `kuma-cp` bin into ESM: the entry `dist/kuma-cp.js` and, beside
 * it, `dist/kuma-cp-chunk-<hash>.js` files, every dependency inside, so that
 * start-up reads and compiles a few files instead of resolving and loading
 * hundreds of modules (most of `kuma-cp run`'s time to its first answer).
 * Code splitting keeps what is loaded with `import()` — the Redis engine and
 * ioredis, only needed with `store.type: redis` — out of what every start
 * compiles and evaluates. `dist/main.js` (tsc's) stays what the tests run.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const distDir = path.join(packageDir, "dist");
const CHUNK_PREFIX = "kuma-cp-chunk-";
const storeDir = path.dirname(
  createRequire(import.meta.url).resolve("@kuma-ts/store/package.json"),
);

/**
 * `@kuma-ts/store` resolves to its `src/core.ts`: the root without the Redis
 * engine. The root re-exports `createRedisStore`, and esbuild puts every file
 * statically reachable from the entry into what the entry loads, tree-shaken
 * or not — ioredis included. The server loads the engine with
 * `import("@kuma-ts/store/redis")` instead. In the bundle the root has no
 * `createRedisStore`: a static import of it fails this build ("No matching
 * export"); it must come from `@kuma-ts/store/redis`.
 */
const storeWithoutRedis = {
  name: "store-without-redis",
  setup(build) {
    build.onResolve({ filter: /^@kuma-ts\/store$/ }, () => ({
      path: path.join(storeDir, "src", "core.ts"),
    }));
  },
};

const modelSrcDir = path.join(
  path.dirname(createRequire(import.meta.url).resolve("@kuma-ts/model/package.json")),
  "src",
);

/**
 * The model's `import { parse } from "yaml"` becomes a `parse` that requires
 * yaml on its first call: yaml stays in the bundle, but most starts read no
 * YAML (no config file, the built-in default mesh), and evaluating yaml's
 * modules was ~8 ms of each. Importing anything else from yaml in the model
 * fails this build ("No matching export").
 */
const LAZY_YAML = "kuma-cp-lazy-yaml";
const lazyYaml = {
  name: "lazy-yaml",
  setup(build) {
    build.onResolve({ filter: /^yaml$/ }, (args) =>
      args.kind === "import-statement" && args.importer.startsWith(modelSrcDir + path.sep)
        ? { path: "yaml", namespace: LAZY_YAML, pluginData: { resolveDir: args.resolveDir } }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: LAZY_YAML }, (args) => ({
      // A require() call: esbuild bundles it and evaluates yaml's modules where it is called.
      contents:
        'let yaml; export function parse(...args) { return (yaml ??= require("yaml")).parse(...args); }',
      loader: "js",
      resolveDir: args.pluginData.resolveDir,
    }));
  },
};

/**
 * JSON files of 10 KB or more (mime-db's database, ioredis's command table)
 * become `JSON.parse("...")` instead of an object literal: the same data,
 * which V8 parses much faster as JSON than as JavaScript (about 5 ms of every
 * start for mime-db's 200 KB).
 */
const JSON_PARSE_MIN_BYTES = 10 * 1024;
const largeJsonParsed = {
  name: "large-json-parsed",
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, "utf8");
      if (text.length < JSON_PARSE_MIN_BYTES) return undefined; // esbuild's own JSON loader
      const json = JSON.stringify(JSON.parse(text));
      return { contents: `module.exports = JSON.parse(${JSON.stringify(json)});`, loader: "js" };
    });
  },
};

const { outputFiles } = await build({
  entryPoints: { "kuma-cp": path.join(packageDir, "src", "main.ts") },
  outdir: distDir,
  // Beside the entry, not in a folder: bundled code finds package.json at `../package.json` of its own file.
  chunkNames: `${CHUNK_PREFIX}[hash]`,
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  // No `keepNames`: it wraps every function expression created per request (in Koa, its
  // dependencies and ours) in `__name(fn, ...)`, a `defineProperty` on V8's slow path, about
  // 9 µs of CPU per GET and 16–20 µs per PUT. Logs still name errors by their class: the
  // project's error classes set their own `name`, which the logger's error serialiser uses.
  // Workspace packages are bundled from their TypeScript sources.
  conditions: ["source"],
  // CommonJS dependencies (koa, pino, ioredis, prom-client) require Node's built-ins; every output file gets this.
  banner: {
    js: 'import { createRequire as __kumaCpRequire } from "node:module"; const require = __kumaCpRequire(import.meta.url);',
  },
  plugins: [storeWithoutRedis, lazyYaml, largeJsonParsed],
  write: false,
  logLevel: "warning",
});

// Each file replaced atomically (written aside, then renamed): a kuma-cp starting meanwhile (the e2e
// tests, while this package's tests bundle again) reads either the old files or the new ones.
await mkdir(distDir, { recursive: true });
for (const file of outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  await writeFile(temporary, file.contents, {
    mode: path.basename(file.path) === "kuma-cp.js" ? 0o755 : 0o644,
  });
  await rename(temporary, file.path);
}
// Chunks of earlier builds (their names hold a hash) would otherwise pile up and be packed.
const written = new Set(outputFiles.map((file) => path.basename(file.path)));
for (const name of await readdir(distDir)) {
  if (name.startsWith(CHUNK_PREFIX) && !written.has(name)) await rm(path.join(distDir, name));
}
