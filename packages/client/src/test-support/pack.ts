/**
 * Packs a workspace package the way publishing would: compiled with its
 * build tsconfig, `workspace:` and `catalog:` ranges replaced by real ones,
 * only the `files` of its package.json. Everything happens in a staging
 * folder, so the workspace itself is never written to.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The workspace root. */
export const WORKSPACE_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

interface PackageJson {
  name: string;
  version: string;
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  [key: string]: unknown;
}

/** Builds and packs the workspace package in `packageDir` (relative to the root) into `outDir`; returns the tarball's path. */
export async function packWorkspacePackage(packageDir: string, outDir: string): Promise<string> {
  const source = path.join(WORKSPACE_ROOT, packageDir);
  const staging = path.join(outDir, "staging", path.basename(packageDir));
  await mkdir(staging, { recursive: true });
  await run(process.execPath, [
    require.resolve("typescript/bin/tsc"),
    "-p",
    path.join(source, "tsconfig.build.json"),
    "--outDir",
    path.join(staging, "dist"),
  ]);
  const manifest = JSON.parse(
    await readFile(path.join(source, "package.json"), "utf8"),
  ) as PackageJson;
  const published: PackageJson = {
    ...manifest,
    dependencies: await resolveRanges(manifest.dependencies ?? {}),
  };
  delete published.devDependencies;
  delete published.scripts;
  await writeFile(path.join(staging, "package.json"), JSON.stringify(published, null, 2));
  for (const extra of ["README.md", "LICENSE"]) {
    await cp(path.join(source, extra), path.join(staging, extra)).catch(() => undefined);
  }
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", outDir], {
    cwd: staging,
  });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  if (!packed) throw new Error(`npm pack produced nothing for ${packageDir}`);
  return path.join(outDir, packed.filename);
}

async function resolveRanges(
  dependencies: Record<string, string>,
): Promise<Record<string, string>> {
  const catalog = await readCatalog();
  const resolved: Record<string, string> = {};
  for (const [name, range] of Object.entries(dependencies)) {
    if (range.startsWith("workspace:")) {
      const version = await workspaceVersion(name);
      const kind = range.slice("workspace:".length);
      resolved[name] =
        kind === "*" ? version : kind === "^" || kind === "~" ? `${kind}${version}` : kind;
    } else if (range === "catalog:") {
      const fromCatalog = catalog.get(name);
      if (!fromCatalog) throw new Error(`${name} is not in the workspace catalog`);
      resolved[name] = fromCatalog;
    } else {
      resolved[name] = range;
    }
  }
  return resolved;
}

/** The default catalog of pnpm-workspace.yaml (`name: range` lines under `catalog:`). */
async function readCatalog(): Promise<Map<string, string>> {
  const text = await readFile(path.join(WORKSPACE_ROOT, "pnpm-workspace.yaml"), "utf8");
  const catalog = new Map<string, string>();
  let inCatalog = false;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) inCatalog = line.trim() === "catalog:";
    const entry = inCatalog ? /^\s+"?([^":\s]+)"?:\s*(\S+)\s*$/.exec(line) : null;
    if (entry) catalog.set(entry[1]!, entry[2]!);
  }
  return catalog;
}

async function workspaceVersion(name: string): Promise<string> {
  const dir = name.replace(/^@kuma-ts\//, "");
  for (const parent of ["packages", "apps"]) {
    try {
      const manifest = JSON.parse(
        await readFile(path.join(WORKSPACE_ROOT, parent, dir, "package.json"), "utf8"),
      ) as PackageJson;
      if (manifest.name === name) return manifest.version;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not a workspace package`);
}
