/** The reference request bodies of the repository's `examples/` folder. */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The folder, found relative to this file. */
export const EXAMPLES_DIR = fileURLToPath(new URL("../../../../examples/", import.meta.url));

/** One example: its file name, text and parsed body. */
export interface Example {
  readonly file: string;
  readonly text: string;
  readonly body: { type: string; name: string; mesh?: string; [field: string]: unknown };
}

/** Every example, by file name. */
export function loadExamples(): Map<string, Example> {
  const examples = new Map<string, Example>();
  for (const file of readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".json")).sort()) {
    const text = readFileSync(EXAMPLES_DIR + file, "utf8");
    examples.set(file, { file, text, body: JSON.parse(text) as Example["body"] });
  }
  return examples;
}
