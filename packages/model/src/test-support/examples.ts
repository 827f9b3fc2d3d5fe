import { fileURLToPath } from "node:url";

/** The reference request bodies of the repository's `examples/` folder. */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../../../examples/", import.meta.url));
