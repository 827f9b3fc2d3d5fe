/**
 * Summarises a `.cpuprofile` (from `--profile`, i.e. node --cpu-prof): the
 * functions with the most self time, and the files (or packages) they are in.
 *
 *   node dist/profile-summary.js <file.cpuprofile> [top]
 */
import { readFile } from "node:fs/promises";

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topText] = process.argv.slice(2);
if (!file) {
  process.stderr.write("usage: node dist/profile-summary.js <file.cpuprofile> [top]\n");
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = JSON.parse(await readFile(file, "utf8")) as Profile;

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);

const where = (url: string): string =>
  url === ""
    ? "(native)"
    : url
        .replace(/^file:\/\//, "")
        .replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, "")
        .replace(/.*\/work\/main\//, "");

const byFunction = new Map<string, number>();
const byFile = new Map<string, number>();
for (const node of profile.nodes) {
  const micros = selfMicros.get(node.id) ?? 0;
  if (micros === 0) continue;
  const place = where(node.callFrame.url);
  const name = `${node.callFrame.functionName || "(anonymous)"} ${place}:${node.callFrame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
  byFile.set(place, (byFile.get(place) ?? 0) + micros);
}

const print = (title: string, entries: Map<string, number>): void => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, micros] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    process.stdout.write(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}\n`);
  }
};
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
print("self time by function", byFunction);
print("self time by file", byFile);
