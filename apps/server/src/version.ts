/** This package's version, as the index (`GET /`) shows it. */
import { readFileSync } from "node:fs";

let version: string | undefined;

/** The `version` of apps/server/package.json (read once; src/ and dist/ sit beside it). */
export function serverVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
    .version;
  return version;
}
