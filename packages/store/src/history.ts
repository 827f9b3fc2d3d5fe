/**
 * Resume tokens and the memory engine's bounded history.
 *
 * A token is `<store>.<history>.<position>`: the id of the store that made
 * it (so a token of another store, or of a store that lost its history, is
 * recognised), the history it belongs to (a mesh's name, or `*` for the
 * meshes' history) and a position in it (memory: a change counter; Redis:
 * a stream entry id `<ms>-<seq>`). Printable, without spaces, as an SSE
 * `id` must be. Callers treat it as opaque.
 */
import { randomBytes } from "node:crypto";
import type { HistoryEntry, HistoryRead } from "./contract.js";
import { InvalidResumeTokenError } from "./errors.js";

const TOKEN = /^([a-z0-9]{1,32})\.(\*|[0-9a-z_-]{1,253})\.(\d{1,20})(?:-(\d{1,20}))?$/;

/** The name of the meshes' history in tokens. */
export const MESHES_HISTORY = "*";

/** A parsed resume token. */
export interface ResumeToken {
  readonly store: string;
  /** A mesh's name, or MESHES_HISTORY. */
  readonly history: string;
  /** The position: [major, minor] (memory: [counter, 0]; Redis: a stream id's two parts). */
  readonly position: readonly [bigint, bigint];
}

/** Whether `text` has the form of a resume token (any store's). */
export function isResumeToken(text: string): boolean {
  return TOKEN.test(text);
}

/** The parts of a token; throws InvalidResumeTokenError for anything else. */
export function parseResumeToken(text: string): ResumeToken {
  const match = TOKEN.exec(text);
  if (!match) throw new InvalidResumeTokenError(text);
  return {
    store: match[1] as string,
    history: match[2] as string,
    position: [BigInt(match[3] as string), BigInt(match[4] ?? "0")],
  };
}

/** A token from its parts; `position` is as the engine writes it. */
export function formatResumeToken(store: string, history: string, position: string): string {
  return `${store}.${history}.${position}`;
}

/**
 * Orders two tokens of the same history (negative: `a` is earlier). The
 * order of tokens of different histories means nothing. Cheap: watchers
 * compare every change they are handed.
 */
export function compareResumeTokens(a: string, b: string): number {
  const pa = a.slice(a.lastIndexOf(".") + 1);
  const pb = b.slice(b.lastIndexOf(".") + 1);
  const da = pa.indexOf("-");
  const db = pb.indexOf("-");
  const major = compareDigits(da < 0 ? pa : pa.slice(0, da), db < 0 ? pb : pb.slice(0, db));
  if (major !== 0) return major;
  return compareDigits(da < 0 ? "0" : pa.slice(da + 1), db < 0 ? "0" : pb.slice(db + 1));
}

/** Orders two decimal numbers written without leading zeros. */
function compareDigits(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** A new random store id, for an engine whose history starts empty. */
export function newStoreId(): string {
  return randomBytes(6).toString("hex");
}

/** The history a token names: undefined for the meshes', else the mesh. */
export function historyName(mesh: string | undefined): string {
  return mesh ?? MESHES_HISTORY;
}

/**
 * Why the changes after `token` cannot be read from this store's history
 * `history`, or undefined when the token is one of them.
 */
export function foreignTokenReason(
  token: ResumeToken,
  store: string,
  history: string,
): string | undefined {
  if (token.store !== store) return "the token is of another store or of its lost history";
  if (token.history !== history) return "the token is of another watch";
  return undefined;
}

/** An entry of the memory history. */
interface RingEntry extends Omit<HistoryEntry, "token"> {
  readonly position: number;
}

/** The last `capacity` changes of one history of the memory engine. */
export class HistoryRing {
  private readonly entries: (RingEntry | undefined)[];
  private start = 0;
  private length = 0;
  /** The position of the last change that no longer is retained (0: none ever dropped). */
  private droppedUpTo = 0;

  constructor(private readonly capacity: number) {
    this.entries = [];
  }

  /** Appends a change; drops the oldest beyond capacity. */
  push(entry: RingEntry): void {
    if (this.length === this.capacity) {
      const oldest = this.entries[this.start] as RingEntry;
      this.droppedUpTo = oldest.position;
      this.entries[this.start] = entry;
      this.start = (this.start + 1) % this.capacity;
      return;
    }
    this.entries[(this.start + this.length) % this.capacity] = entry;
    this.length++;
  }

  /** Drops every change: a token from before the last one is then answered with a reset. */
  forget(): void {
    const last = this.at(this.length - 1);
    if (last) this.droppedUpTo = last.position;
    this.entries.length = 0;
    this.start = 0;
    this.length = 0;
  }

  /** The changes after position `after`, `limit` at most, with tokens made by `token`. */
  read(after: number, limit: number, token: (position: number) => string): HistoryRead {
    if (after < this.droppedUpTo) {
      return { status: "reset", reason: "the changes after the token are no longer retained" };
    }
    // The first retained entry after `after`: positions grow along the ring.
    let low = 0;
    let high = this.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.at(middle) as RingEntry).position <= after) low = middle + 1;
      else high = middle;
    }
    const entries: HistoryEntry[] = [];
    for (let i = low; i < this.length && entries.length < limit; i++) {
      const { position, ...change } = this.at(i) as RingEntry;
      entries.push({ ...change, token: token(position) });
    }
    return { status: "ok", entries, more: low + entries.length < this.length };
  }

  private at(index: number): RingEntry | undefined {
    return this.entries[(this.start + index) % this.capacity];
  }
}
