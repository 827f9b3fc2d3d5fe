/**
 * Reading a page of one type in one mesh. A page of up to PAGE_BATCH items
 * is one run of the page script: one round trip, atomic. A longer read
 * (a whole collection, a big page) takes two round trips for up to
 * READ_NAMES items: the script's first batch together with the names that
 * follow it (ZRANGEBYLEX, sent in the same write), then the records of
 * those names in chunks of RECORD_CHUNK, each chunk one MULTI of HMGET and
 * ZLEXCOUNT of its name range, all sent at once. Running Lua over a record
 * costs Redis several times what HMGET costs, so records past the first
 * batch stay out of Lua.
 *
 * Atomicity, as with one script run per batch: the items of each chunk are
 * exactly the collection's items in its name range at one instant — its
 * names all lie in the range and all have records, and the range holds as
 * many names as the chunk. A chunk whose range changed since its names
 * were listed (an item created or deleted there) ends the page before it,
 * with `more` set; the caller goes on from there.
 *
 * Redis is never busy with one of these reads for longer than one script
 * run over PAGE_BATCH records, one ZRANGEBYLEX of READ_NAMES names, or one
 * MULTI over RECORD_CHUNK records. Measured for dataplanes on a loaded
 * 2-core machine: 1.2-2 ms for the script (as before this read existed),
 * 0.3-1.2 ms for the ZRANGEBYLEX, 0.2-0.6 ms for a MULTI. Other clients'
 * commands run between them.
 */
import { resourcePageScript, type RedisClient } from "./scripts.js";

/** How many items one page script run reads with their records. */
export const PAGE_BATCH = 1000;
/** How many names one long read lists in its first round trip, the first batch included. */
export const READ_NAMES = 10_000;
/** How many records one MULTI of a long read fetches. */
export const RECORD_CHUNK = 1000;

/** The raw page of a collection: total, whether more follow, and (name, record) pairs. */
export interface RawPage {
  readonly total: number;
  readonly more: boolean;
  readonly entries: [name: string, record: string | null][];
  /** With a history key: the id of the history's last change when the page was read. */
  readonly position?: string;
}

/** The keys of one type in one mesh. */
export interface CollectionKeys {
  /** The sorted set of names. */
  readonly names: string;
  /** The hash of records. */
  readonly items: string;
  /** The mesh's history, when the page must also tell the position of its last change. */
  readonly history?: string;
}

type Reply = (string | number | null)[];

/**
 * Up to `size` items after `after` (all names after it when undefined),
 * in name order. Fewer than `size` with `more` set when a chunk's range
 * changed under the read (see above); always at least the first batch.
 */
export async function readResourcePage(
  client: RedisClient,
  keys: CollectionKeys,
  after: string | undefined,
  size: number,
): Promise<RawPage> {
  const start = after === undefined ? "-" : `(${after}`;
  const wanted = Math.min(size, READ_NAMES);
  const batch = Math.min(wanted, PAGE_BATCH);
  const [reply, rest] = await Promise.all([
    resourcePageScript.run(
      client,
      keys.history === undefined
        ? [keys.names, keys.items]
        : [keys.names, keys.items, keys.history],
      [start, batch],
    ) as Promise<Reply>,
    // The names after the batch, if nothing changes meanwhile; the chunks check that it did not.
    wanted > batch
      ? client.zrangebylex(keys.names, start, "+", "LIMIT", batch, wanted - batch + 1)
      : [],
  ]);
  const total = Number(reply[0]);
  const position = keys.history === undefined ? undefined : String(reply[2]);
  const entries: RawPage["entries"] = [];
  for (let i = 3; i < reply.length; i += 2)
    entries.push([String(reply[i]), reply[i + 1] as string | null]);
  const last = entries[entries.length - 1]?.[0];
  if (reply[1] !== 1 || last === undefined || rest.length === 0 || !(rest[0]! > last))
    return withPosition({ total, more: reply[1] === 1, entries }, position);

  const more = rest.length > wanted - batch;
  if (more) rest.length = wanted - batch;
  const chunks: string[][] = [];
  for (let i = 0; i < rest.length; i += RECORD_CHUNK) chunks.push(rest.slice(i, i + RECORD_CHUNK));
  const results = await Promise.all(
    chunks.map((chunk, index) =>
      client
        .multi()
        .zlexcount(keys.names, `(${chunks[index - 1]?.at(-1) ?? last}`, `[${chunk.at(-1)}`)
        .hmget(keys.items, ...chunk)
        .exec(),
    ),
  );
  for (const [index, chunk] of chunks.entries()) {
    const [count, records] = transactionResults(results[index]) as [number, (string | null)[]];
    if (count !== chunk.length || records.includes(null))
      return withPosition({ total, more: true, entries }, position);
    for (const [i, name] of chunk.entries()) entries.push([name, records[i] ?? null]);
  }
  return withPosition({ total, more, entries }, position);
}

function withPosition(page: RawPage, position: string | undefined): RawPage {
  return position === undefined ? page : { ...page, position };
}

/** The replies of a MULTI's commands; throws the first error among them. */
function transactionResults(results: [Error | null, unknown][] | null | undefined): unknown[] {
  // exec() answers null only for a transaction aborted by WATCH, which these reads never use.
  if (!results) throw new Error("the Redis transaction was aborted");
  return results.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}
