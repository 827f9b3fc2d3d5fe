/**
 * Where `kumactl apply` reads from: stdin (`-f` absent or `-`), an
 * `http(s)://` URL (GET, 10 s, only a 200 counts), a directory (its
 * `.yaml`, `.yml` and `.json` files in name order) or a file.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { Fetch } from "@kuma-ts/client";
import { CliError } from "../errors.js";
import type { ApplySource } from "./documents.js";

/** How long reading a URL may take. */
const URL_TIMEOUT_MS = 10_000;

const EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

/** What reading the inputs needs. */
export interface SourceReaders {
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  readonly fetch?: Fetch;
}

/** Reads the inputs `-f` names. */
export async function readSources(
  file: string | undefined,
  readers: SourceReaders,
): Promise<ApplySource[]> {
  if (file === undefined || file === "" || file === "-")
    return [{ name: "stdin", text: await readStdin(readers.stdin) }];
  if (/^https?:\/\//i.test(file))
    return [{ name: file, text: await readUrl(file, readers.fetch ?? globalThis.fetch) }];
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(file)).isDirectory();
  } catch (error) {
    throw readFailure(file, error);
  }
  if (!isDirectory) return [{ name: file, text: await readText(file) }];
  const entries = (await readdir(file, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && EXTENSIONS.has(path.extname(entry.name).toLowerCase()))
    .map((entry) => entry.name)
    .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const sources: ApplySource[] = [];
  for (const name of entries) {
    const filePath = path.join(file, name);
    sources.push({ name: filePath, text: await readText(filePath) });
  }
  return sources;
}

async function readStdin(stdin: AsyncIterable<string | Uint8Array> | undefined): Promise<string> {
  if (!stdin) return "";
  const chunks: Buffer[] = [];
  for await (const chunk of stdin)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    throw readFailure(file, error);
  }
}

/** Go's wording of file errors (`open x: no such file or directory`), as kumactl printed them. */
function readFailure(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "ENOENT"
      ? "no such file or directory"
      : code === "EACCES"
        ? "permission denied"
        : code === "EISDIR"
          ? "is a directory"
          : (error as Error).message;
  return new CliError(`error while reading provided file: open ${file}: ${reason}`);
}

async function readUrl(url: string, fetch: Fetch): Promise<string> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(URL_TIMEOUT_MS) });
    text = await response.text();
  } catch (error) {
    throw new CliError(`error while retrieving URL ${url}: ${describeFetchFailure(error)}`);
  }
  if (response.status !== 200) {
    throw new CliError(
      `error while retrieving URL ${url}: the server answered ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  return text;
}

/** The reason behind Node's `fetch failed` (`connect ECONNREFUSED ...`), or the timeout. */
function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError")
    return `timed out after ${URL_TIMEOUT_MS} ms`;
  let current = error;
  while (
    current instanceof Error &&
    current.message === "fetch failed" &&
    current.cause !== undefined
  ) {
    current = current.cause;
  }
  if (current instanceof AggregateError && current.message === "" && current.errors.length > 0) {
    return current.errors
      .map((e: unknown) => (e instanceof Error ? e.message : String(e)))
      .join("; ");
  }
  return current instanceof Error ? current.message : String(current);
}
