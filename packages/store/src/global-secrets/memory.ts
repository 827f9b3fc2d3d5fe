/** Global secrets in process memory: shared by every store object over one memory store. */
import {
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
} from "../errors.js";
import {
  assertSecret,
  GLOBAL_SECRET_TYPE,
  type GlobalSecret,
  type GlobalSecretStore,
} from "./contract.js";

/** A memory global-secret store; `isClosed` tells whether its resource store was closed. */
export function createMemoryGlobalSecrets(
  isClosed: () => boolean = () => false,
): GlobalSecretStore {
  const secrets = new Map<string, GlobalSecret>();
  let lastVersion = 0;
  const ensureOpen = (): void => {
    if (isClosed()) throw new StoreUnavailableError("the store is closed");
  };
  const write = (name: string, data: string): GlobalSecret => {
    const secret = Object.freeze({ name, data, version: String(++lastVersion) });
    secrets.set(name, secret);
    return secret;
  };
  const existing = (name: string): GlobalSecret => {
    const secret = secrets.get(name);
    if (!secret) throw new ResourceNotFoundError(GLOBAL_SECRET_TYPE, undefined, name);
    return secret;
  };
  const checkVersion = (secret: GlobalSecret, expectVersion: string | undefined): void => {
    if (expectVersion !== undefined && expectVersion !== secret.version) {
      throw new VersionConflictError(expectVersion, secret.version);
    }
  };
  return {
    async get(name) {
      ensureOpen();
      return secrets.get(name);
    },
    async list() {
      ensureOpen();
      return [...secrets.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async create(name, data) {
      ensureOpen();
      assertSecret(name, data);
      if (secrets.has(name))
        throw new ResourceAlreadyExistsError(GLOBAL_SECRET_TYPE, undefined, name);
      return write(name, data);
    },
    async update(name, data, expectVersion) {
      ensureOpen();
      assertSecret(name, data);
      checkVersion(existing(name), expectVersion);
      return write(name, data);
    },
    async delete(name, expectVersion) {
      ensureOpen();
      checkVersion(existing(name), expectVersion);
      secrets.delete(name);
    },
  };
}
