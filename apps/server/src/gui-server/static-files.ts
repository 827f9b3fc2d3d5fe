/**
 * The GUI's build output, read from its folder on first use and kept in
 * memory (a few hundred KB), each text file also gzipped once. Only
 * `index.html`, `favicon.png` and plain file names inside `assets/` can be
 * asked for: no path ever leaves the folder.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

/** One file ready to send. */
export interface StaticFile {
  readonly body: Buffer;
  /** The gzipped body, for text files worth compressing. */
  readonly gzipped: Buffer | undefined;
  readonly contentType: string;
  /** A strong entity tag of the content. */
  readonly etag: string;
  /** Whether the name carries a content hash (Vite's `name-<hash>.ext`): then it never changes. */
  readonly immutable: boolean;
}

/** The files of one build folder. */
export interface StaticFiles {
  /** The file at `relativePath` (`index.html`, `favicon.png`, `assets/<name>`), or undefined when there is none. */
  get(relativePath: string): Promise<StaticFile | undefined>;
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/** Vite's hashed names: `index-BXk3d9aF.js`. */
const HASHED_NAME = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;
/** A name inside `assets/`: no separators, no leading dot. */
const ASSET_NAME = /^assets\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
/** Below this size gzip saves less than it costs. */
const GZIP_MIN_BYTES = 1024;

/** The files of the folder `dir`. */
export function createStaticFiles(dir: string): StaticFiles {
  const cache = new Map<string, Promise<StaticFile | undefined>>();
  const load = async (relativePath: string): Promise<StaticFile | undefined> => {
    let body: Buffer;
    try {
      body = await readFile(path.join(dir, relativePath));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
      throw error;
    }
    const contentType = CONTENT_TYPES[path.extname(relativePath)] ?? "application/octet-stream";
    const compressible = /^text\/|json|svg/.test(contentType) && body.length >= GZIP_MIN_BYTES;
    return {
      body,
      gzipped: compressible ? gzipSync(body) : undefined,
      contentType,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
      immutable: HASHED_NAME.test(relativePath),
    };
  };
  return {
    async get(relativePath) {
      if (
        relativePath !== "index.html" &&
        relativePath !== "favicon.png" &&
        !ASSET_NAME.test(relativePath)
      ) {
        return undefined;
      }
      let file = cache.get(relativePath);
      if (!file) {
        file = load(relativePath);
        cache.set(relativePath, file);
        // A miss is not remembered: the file may appear (a GUI built after the server started).
        void file.then(
          (found) => found ?? cache.delete(relativePath),
          () => cache.delete(relativePath),
        );
      }
      return file;
    },
  };
}
