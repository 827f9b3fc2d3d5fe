/**
 * Bundles kumactl into one ESM file, `dist/main.js` (or `--outfile PATH`):
 * every dependency inside, so the packed CLI installs with nothing else and
 * starts fast. Build information for `kumactl version -a` is injected here.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
const outfileArg = process.argv.indexOf("--outfile");
const outfile =
  outfileArg === -1
    ? path.join(packageDir, "dist", "main.js")
    : path.resolve(process.argv[outfileArg + 1]);

function git(...args) {
  try {
    return execFileSync("git", args, { cwd: packageDir, stdio: ["ignore", "pipe", "ignore"] })
      .toString()
      .trim();
  } catch {
    return "";
  }
}

const buildInfo = {
  gitTag: git("describe", "--tags", "--exact-match", "HEAD") || "unknown",
  gitCommit: git("rev-parse", "HEAD") || "unknown",
  buildDate: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
};

/** `import text from "./file?raw"` (as vite reads it in the tests): the file's content as a string. */
const rawText = {
  name: "raw-text",
  setup(build) {
    build.onResolve({ filter: /\?raw$/ }, (args) => ({
      path: path.resolve(args.resolveDir, args.path.slice(0, -"?raw".length)),
      namespace: "raw-text",
    }));
    build.onLoad({ filter: /.*/, namespace: "raw-text" }, async (args) => ({
      contents: await readFile(args.path, "utf8"),
      loader: "text",
    }));
  },
};

await build({
  entryPoints: [path.join(packageDir, "src", "main.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  minify: true,
  // Workspace packages are bundled from their TypeScript sources: no build of them is needed first.
  conditions: ["source"],
  // yaml's ESM build (its "node" entry is CommonJS): real named exports for `await import("yaml")`.
  alias: {
    yaml: path.join(path.dirname(require.resolve("yaml/package.json")), "browser", "index.js"),
  },
  // CommonJS dependencies (commander) require Node's built-ins.
  banner: {
    js: 'import { createRequire as __kumactlRequire } from "node:module"; const require = __kumactlRequire(import.meta.url);',
  },
  define: { __KUMACTL_BUILD_INFO__: JSON.stringify(buildInfo) },
  plugins: [rawText],
  logLevel: "warning",
});
