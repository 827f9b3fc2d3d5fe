/**
 * The Lua scripts: every write is one script, so it is atomic (on one
 * node, over keys of one mesh's hash-tag slot) and publishes its change
 * event in the same step. Replies are arrays whose first element says
 * what happened: `ok`, `created`, `updated`, `exists`, `nomesh`, `notfound`,
 * `conflict`, `absent`.
 */
import { createHash } from "node:crypto";
import { ReplyError, type Cluster, type Redis } from "ioredis";

/** A standalone/Sentinel connection or a cluster. */
export type RedisClient = Redis | Cluster;

/** Whether an error is an error reply from Redis (as opposed to a connection failure). */
export function isReplyError(error: unknown): error is Error {
  // ioredis declares ReplyError as `any`; it is the redis-errors class.
  return error instanceof (ReplyError as ErrorConstructor);
}

/** One Lua script, run by SHA with a fallback to its source when the server does not know it yet. */
export class RedisScript {
  readonly sha: string;

  constructor(
    readonly name: string,
    readonly lua: string,
  ) {
    this.sha = createHash("sha1").update(lua).digest("hex");
  }

  /** Runs the script; all `keys` must share one hash-tag slot. */
  async run(
    client: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(isReplyError(error) && error.message.startsWith("NOSCRIPT"))) throw error;
      return await client.eval(this.lua, keys.length, ...keys, ...args);
    }
  }
}

const HELPERS = `
local function version_of(record)
  return string.match(record, '^(%d+) ')
end

-- Names, meshes and types are validated before they reach a script, so they need no JSON escaping.
local function publish(channel, kind, rtype, mesh, name, version)
  redis.call('PUBLISH', channel, '{"kind":"' .. kind .. '","type":"' .. rtype .. '","mesh":"' .. mesh ..
    '","name":"' .. name .. '","version":"' .. version .. '"}')
end

-- A mesh's counter is seeded from the server clock (microseconds) whenever it is (re)born, so
-- a mesh deleted and created again never hands out a version it handed out before.
local function next_version(counter)
  if redis.call('EXISTS', counter) == 0 then
    local now = redis.call('TIME')
    redis.call('SET', counter, now[1] .. string.sub('00000' .. now[2], -6))
  end
  redis.call('INCR', counter)
  return redis.call('GET', counter)
end

-- Appends a change to a history (a stream trimmed to about maxlen entries); json is nil for a deletion.
local function remember(stream, maxlen, kind, rtype, name, version, json)
  if json then
    redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'k', kind, 't', rtype, 'n', name, 'v', version, 'j', json)
  else
    redis.call('XADD', stream, 'MAXLEN', '~', maxlen, '*', 'k', kind, 't', rtype, 'n', name, 'v', version)
  end
end

-- The id of a history's last change ('0-0' for a history without any).
local function last_id(stream)
  local info = redis.pcall('XINFO', 'STREAM', stream)
  if info.err then return '0-0' end
  for i = 1, #info, 2 do
    if info[i] == 'last-generated-id' then return info[i + 1] end
  end
  return '0-0'
end
`;

const script = (name: string, body: string): RedisScript => new RedisScript(name, HELPERS + body);

/** KEYS: mesh record, counter, history. ARGV: mesh name, JSON, channel, history length. */
export const createMeshScript = script(
  "createMesh",
  `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
local version = next_version(KEYS[2])
redis.call('SET', KEYS[1], version .. ' ' .. ARGV[2])
publish(ARGV[3], 'created', 'Mesh', ARGV[1], ARGV[1], version)
remember(KEYS[3], ARGV[4], 'created', 'Mesh', ARGV[1], version, ARGV[2])
-- The history of a mesh of this name deleted earlier is kept again.
redis.call('PERSIST', KEYS[3])
return {'created', version}
`,
);

/**
 * KEYS: items hash, names zset, counter, mesh record, history.
 * ARGV: type, mesh, name, JSON, channel, history length.
 */
export const createResourceScript = script(
  "createResource",
  `
if redis.call('EXISTS', KEYS[4]) == 0 then return {'nomesh'} end
if redis.call('HEXISTS', KEYS[1], ARGV[3]) == 1 then return {'exists'} end
local version = next_version(KEYS[3])
redis.call('HSET', KEYS[1], ARGV[3], version .. ' ' .. ARGV[4])
redis.call('ZADD', KEYS[2], 0, ARGV[3])
publish(ARGV[5], 'created', ARGV[1], ARGV[2], ARGV[3], version)
remember(KEYS[5], ARGV[6], 'created', ARGV[1], ARGV[3], version, ARGV[4])
return {'created', version}
`,
);

/**
 * KEYS: record key (mesh record, or items hash), counter, history.
 * ARGV: type, mesh, name, hash field ('' for a mesh record), expected version ('' for any),
 * JSON up to creationTime's value, JSON after it, channel, creationTime to use if the record has
 * none, history length.
 * The new record keeps the old record's creationTime, which the client cannot know without a read.
 */
export const updateScript = script(
  "update",
  `
local old
if ARGV[4] == '' then old = redis.call('GET', KEYS[1]) else old = redis.call('HGET', KEYS[1], ARGV[4]) end
if not old then return {'notfound'} end
local current = version_of(old) or ''
if ARGV[5] ~= '' and ARGV[5] ~= current then return {'conflict', current} end
local created = string.match(old, '"creationTime":"([%dTZ:.+-]+)"') or ARGV[9]
local version = next_version(KEYS[2])
local json = ARGV[6] .. created .. ARGV[7]
local record = version .. ' ' .. json
if ARGV[4] == '' then redis.call('SET', KEYS[1], record) else redis.call('HSET', KEYS[1], ARGV[4], record) end
publish(ARGV[8], 'updated', ARGV[1], ARGV[2], ARGV[3], version)
remember(KEYS[3], ARGV[10], 'updated', ARGV[1], ARGV[3], version, json)
return {'ok', version, created}
`,
);

/**
 * Creates or replaces, whatever is stored ("make it so"): the put of the contract.
 * KEYS: record key (mesh record, or items hash), counter, history; for a mesh-scoped resource
 * also its names zset and its mesh record.
 * ARGV: type, mesh, name, hash field ('' for a mesh record), JSON up to creationTime's value,
 * JSON after it, channel, creationTime of a new record (also used if the old record has none),
 * history length.
 * A replacement keeps the old record's creationTime and does not look at the mesh; a creation
 * of a mesh-scoped resource needs its mesh record. Replies `created` or `updated` with the
 * version and the creationTime written, or `nomesh`.
 */
export const putScript = script(
  "put",
  `
local old
if ARGV[4] == '' then old = redis.call('GET', KEYS[1]) else old = redis.call('HGET', KEYS[1], ARGV[4]) end
local created = ARGV[8]
if old then
  created = string.match(old, '"creationTime":"([%dTZ:.+-]+)"') or ARGV[8]
elseif #KEYS == 5 and redis.call('EXISTS', KEYS[5]) == 0 then
  return {'nomesh'}
end
local version = next_version(KEYS[2])
local json = ARGV[5] .. created .. ARGV[6]
local record = version .. ' ' .. json
if ARGV[4] == '' then
  redis.call('SET', KEYS[1], record)
else
  redis.call('HSET', KEYS[1], ARGV[4], record)
  if not old then redis.call('ZADD', KEYS[4], 0, ARGV[4]) end
end
local kind = old and 'updated' or 'created'
publish(ARGV[7], kind, ARGV[1], ARGV[2], ARGV[3], version)
remember(KEYS[3], ARGV[9], kind, ARGV[1], ARGV[3], version, json)
-- A Mesh created: the history of a mesh of this name deleted earlier is kept again.
if ARGV[4] == '' and not old then redis.call('PERSIST', KEYS[3]) end
return {kind, version, created}
`,
);

/**
 * KEYS: items hash, names zset, history.
 * ARGV: type, mesh, name, expected version ('' for any), channel, history length.
 */
export const deleteResourceScript = script(
  "deleteResource",
  `
local old = redis.call('HGET', KEYS[1], ARGV[3])
if not old then return {'notfound'} end
local current = version_of(old) or ''
if ARGV[4] ~= '' and ARGV[4] ~= current then return {'conflict', current} end
redis.call('HDEL', KEYS[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[3])
publish(ARGV[5], 'deleted', ARGV[1], ARGV[2], ARGV[3], current)
remember(KEYS[3], ARGV[6], 'deleted', ARGV[1], ARGV[3], current)
return {'ok', current}
`,
);

/**
 * KEYS: mesh record, counter, then per mesh-scoped type its items hash and names zset, then the
 * mesh's history (kept for a while: watchers of the mesh see its deletion when they resume).
 * ARGV: mesh, expected version ('' for any), channel, history length, how long the history of
 * the deleted mesh is kept (ms), then the type names in KEYS order.
 * Deletes the mesh's resources even when the mesh record is gone, so nothing is left behind;
 * publishes and remembers a deletion per resource (types in order, names in order), then the mesh's.
 */
export const deleteMeshScript = script(
  "deleteMesh",
  `
local old = redis.call('GET', KEYS[1])
local current = ''
if old then current = version_of(old) or '' end
if ARGV[2] ~= '' then
  if not old then return {'notfound'} end
  if ARGV[2] ~= current then return {'conflict', current} end
end
local history = KEYS[#KEYS]
for t = 6, #ARGV do
  local items = KEYS[2 * (t - 5) + 1]
  local names = KEYS[2 * (t - 5) + 2]
  local all = redis.call('ZRANGE', names, 0, -1)
  for first = 1, #all, 500 do
    local chunk = {unpack(all, first, math.min(first + 499, #all))}
    local records = redis.call('HMGET', items, unpack(chunk))
    for i = 1, #chunk do
      if records[i] then
        local version = version_of(records[i]) or ''
        publish(ARGV[3], 'deleted', ARGV[t], ARGV[1], chunk[i], version)
        remember(history, ARGV[4], 'deleted', ARGV[t], chunk[i], version)
      end
    end
  end
  redis.call('UNLINK', items, names)
end
redis.call('UNLINK', KEYS[2])
if not old then return {'absent'} end
redis.call('UNLINK', KEYS[1])
publish(ARGV[3], 'deleted', 'Mesh', ARGV[1], ARGV[1], current)
remember(history, ARGV[4], 'deleted', 'Mesh', ARGV[1], current)
redis.call('PEXPIRE', history, ARGV[5])
return {'ok', current}
`,
);

/**
 * A page of one type in one mesh, read atomically in one round trip.
 * KEYS: names zset, items hash, and optionally the mesh's history.
 * ARGV: ZRANGEBYLEX start ('-' or '(<name>'), page size.
 * Reply: total, 1 when more names follow, the id of the history's last change ('' without a
 * history key), then name and record pairs.
 */
export const resourcePageScript = script(
  "resourcePage",
  `
local size = tonumber(ARGV[2])
local names = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, size + 1)
local more = 0
if #names > size then
  more = 1
  names[#names] = nil
end
local reply = {redis.call('ZCARD', KEYS[1]), more, KEYS[3] and last_id(KEYS[3]) or ''}
if #names > 0 then
  local records = redis.call('HMGET', KEYS[2], unpack(names))
  for i = 1, #names do
    reply[2 * i + 2] = names[i]
    reply[2 * i + 3] = records[i]
  end
end
return reply
`,
);

/**
 * A page of the mesh index. KEYS: index, and optionally the meshes' history.
 * ARGV: ZRANGEBYLEX start, page size.
 * Reply: total, 1 when more names follow, the id of the history's last change ('' without a
 * history key), then the names.
 */
export const meshIndexPageScript = script(
  "meshIndexPage",
  `
local size = tonumber(ARGV[2])
local names = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[1], '+', 'LIMIT', 0, size + 1)
local more = 0
if #names > size then
  more = 1
  names[#names] = nil
end
local reply = {redis.call('ZCARD', KEYS[1]), more, KEYS[2] and last_id(KEYS[2]) or ''}
for i = 1, #names do reply[i + 3] = names[i] end
return reply
`,
);

/** KEYS: a history. Reply: the id of its last change ('0-0' for a history without any). */
export const historyTokenScript = script("historyToken", `return last_id(KEYS[1])`);

/**
 * The changes of a history after a position, read with the check that none of them was trimmed.
 * KEYS: the history. ARGV: the position (a stream id), how many changes at most.
 * Reply: {'ok', entries of XRANGE}, {'expired'} when changes after the position may have been
 * trimmed or expired with their deleted mesh, or {'future'} when the position is after the history's last change (the token is of a
 * history that was lost).
 */
export const readHistoryScript = script(
  "readHistory",
  `
local function parse(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end
local function before(a, b)
  local am, as = parse(a)
  local bm, bs = parse(b)
  return am < bm or (am == bm and as < bs)
end
local info = redis.pcall('XINFO', 'STREAM', KEYS[1])
if info.err then
  if ARGV[1] ~= '0-0' then return {'future'} end
  return {'ok', {}}
end
local fields = {}
for i = 1, #info, 2 do fields[info[i]] = info[i + 1] end
if before(fields['last-generated-id'], ARGV[1]) then return {'future'} end
-- Changes after the position may be gone when it is before the first change kept: trimming
-- dropped the oldest, or the history is a new one (that of a deleted mesh expired, and the mesh
-- was created again). The position of a history without changes ('0-0') missed nothing.
local first = fields['first-entry']
if not first or first == false then
  if tonumber(fields['entries-added']) > 0 and before(ARGV[1], fields['last-generated-id']) then
    return {'expired'}
  end
elseif ARGV[1] ~= '0-0' and before(ARGV[1], first[1]) then
  return {'expired'}
end
return {'ok', redis.call('XRANGE', KEYS[1], '(' .. ARGV[1], '+', 'COUNT', ARGV[2])}
`,
);
