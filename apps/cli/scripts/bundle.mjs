/**
 * Bundles kumactl into one ESM file, `dist/main.js` (or `--outfile PATH`):
 * every dependency inside, so the packed CLI installs with nothing else and
 * starts fast. Build information for `kumactl version -a` is injected here.
 */
import { execFileSync } from "node:child_process";
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
  logLevel: "warning",
});
