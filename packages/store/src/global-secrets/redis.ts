/**
 * Global secrets on Redis: one hash (name → `<version> <base64 data>`) and
 * its version counter (RedisKeys). Both carry the prefix's hash tag, so
 * every script is single-slot in a Cluster. Each write is one Lua script:
 * create-if-absent and compare-and-set, so replicas starting together agree
 * on exactly one winner and concurrent appends to a secret never lose one.
 */
import {
  CorruptedValueError,
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  VersionConflictError,
} from "../errors.js";
import type { RedisConnection } from "../redis/connection.js";
import type { RedisKeys } from "../redis/keys.js";
import { RedisScript } from "../redis/scripts.js";
import {
  assertSecret,
  GLOBAL_SECRET_TYPE,
  type GlobalSecret,
  type GlobalSecretStore,
} from "./contract.js";

type Reply = (string | number | null)[];

const createScript = new RedisScript(
  "create global secret",
  `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return {'exists'} end
local version = tostring(redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], ARGV[1], version .. ' ' .. ARGV[2])
return {'created', version}
`,
);

const updateScript = new RedisScript(
  "update global secret",
  `
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return {'notfound'} end
local current = string.match(record, '^(%d+) ')
if current ~= ARGV[3] then return {'conflict', current} end
local version = tostring(redis.call('INCR', KEYS[2]))
redis.call('HSET', KEYS[1], ARGV[1], version .. ' ' .. ARGV[2])
return {'updated', version}
`,
);

const deleteScript = new RedisScript(
  "delete global secret",
  `
local record = redis.call('HGET', KEYS[1], ARGV[1])
if not record then return {'notfound'} end
local current = string.match(record, '^(%d+) ')
if ARGV[2] ~= '' and current ~= ARGV[2] then return {'conflict', current} end
redis.call('HDEL', KEYS[1], ARGV[1])
return {'ok'}
`,
);

/** The global secrets of the store with keys `keys`, over its connection. */
export function createRedisGlobalSecrets(
  connection: RedisConnection,
  keys: RedisKeys,
): GlobalSecretStore {
  const hash = keys.globalSecrets;
  const counter = keys.globalSecretsVersion;
  const decode = (name: string, record: string): GlobalSecret => {
    const space = record.indexOf(" ");
    if (space < 1) throw new CorruptedValueError(hash, `global secret ${name} has no version`);
    return Object.freeze({ name, version: record.slice(0, space), data: record.slice(space + 1) });
  };
  const conflictOrMissing = (reply: Reply, name: string, expectVersion: string): void => {
    if (reply[0] === "notfound")
      throw new ResourceNotFoundError(GLOBAL_SECRET_TYPE, undefined, name);
    if (reply[0] === "conflict") throw new VersionConflictError(expectVersion, String(reply[1]));
  };
  return {
    async get(name) {
      const record = await connection.run(
        `get ${GLOBAL_SECRET_TYPE}`,
        (client) => client.hget(hash, name),
        {
          oneStep: true,
        },
      );
      return record === null ? undefined : decode(name, record);
    },
    async list() {
      const all = await connection.run(
        `list ${GLOBAL_SECRET_TYPE}`,
        (client) => client.hgetall(hash),
        {
          oneStep: true,
        },
      );
      return Object.keys(all)
        .sort()
        .map((name) => decode(name, all[name]!));
    },
    async create(name, data) {
      assertSecret(name, data);
      const reply = (await connection.run(
        `create ${GLOBAL_SECRET_TYPE}`,
        (client) => createScript.run(client, [hash, counter], [name, data]),
        { oneStep: true },
      )) as Reply;
      if (reply[0] === "exists")
        throw new ResourceAlreadyExistsError(GLOBAL_SECRET_TYPE, undefined, name);
      return Object.freeze({ name, data, version: String(reply[1]) });
    },
    async update(name, data, expectVersion) {
      assertSecret(name, data);
      const reply = (await connection.run(
        `update ${GLOBAL_SECRET_TYPE}`,
        (client) => updateScript.run(client, [hash, counter], [name, data, expectVersion]),
        { oneStep: true },
      )) as Reply;
      conflictOrMissing(reply, name, expectVersion);
      return Object.freeze({ name, data, version: String(reply[1]) });
    },
    async delete(name, expectVersion) {
      const reply = (await connection.run(
        `delete ${GLOBAL_SECRET_TYPE}`,
        (client) => deleteScript.run(client, [hash], [name, expectVersion ?? ""]),
        { oneStep: true },
      )) as Reply;
      conflictOrMissing(reply, name, expectVersion ?? "");
    },
  };
}
