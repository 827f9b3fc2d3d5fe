/**
 * Where the web GUI's build is inside this package: `dist/gui/`, copied there
 * by `scripts/embed-gui.mjs` when the package is built, and published with it.
 */
import { fileURLToPath } from "node:url";

/** The folder of the embedded GUI (this file sits one level below the package root in src/, dist/ and the bundle). */
export function embeddedGuiDir(): string {
  return fileURLToPath(new URL("../dist/gui/", import.meta.url));
}
