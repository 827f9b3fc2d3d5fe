/**
 * Copies the web GUI's build (apps/gui/dist, built before this package: see
 * turbo.json) into dist/gui, where kuma-cp serves it from (src/embedded-gui.ts)
 * and from where it is published with this package. The GUI is not a package
 * dependency of the server: its browser tests start the server, so the
 * dependency runs the other way.
 */
import { cp, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const packageDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const guiBuild = path.join(packageDir, "..", "gui", "dist");
const target = path.join(packageDir, "dist", "gui");

try {
  await stat(path.join(guiBuild, "index.html"));
} catch {
  throw new Error(
    `the GUI is not built (${guiBuild}/index.html is missing): run pnpm build from the repository root`,
  );
}
// Copied aside, then swapped in: old hashed assets do not pile up, and a kuma-cp running meanwhile sees one build or the other.
const temporary = `${target}.${process.pid}.tmp`;
await mkdir(path.dirname(target), { recursive: true });
await cp(guiBuild, temporary, { recursive: true });
await rm(target, { recursive: true, force: true });
await rename(temporary, target);
