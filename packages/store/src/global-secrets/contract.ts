/**
 * GlobalSecret records (auth.md §4–§5): the control plane's own secrets —
 * user-token signing keys, the bootstrap admin token, the revocation list.
 * Mesh-less, keyed `(GlobalSecret, "", name)`, spec `{data: base64}`. They
 * live beside the resources in the same backend (so every replica on one
 * Redis sees the same ones) but are not resources of the 0.4 API: no route
 * lists, reads or writes them generically.
 */

/** The resource type name of a global secret, as errors name it. */
export const GLOBAL_SECRET_TYPE = "GlobalSecret";

/** A global secret as stored. */
export interface GlobalSecret {
  readonly name: string;
  /** The secret's bytes, base64-encoded. */
  readonly data: string;
  /** Opaque; changes on every write. */
  readonly version: string;
}

/** Where global secrets are kept. Every write is atomic; conditional writes are compare-and-set. */
export interface GlobalSecretStore {
  /** The secret, or undefined when it does not exist. */
  get(name: string): Promise<GlobalSecret | undefined>;
  /** Every secret, sorted by name. */
  list(): Promise<GlobalSecret[]>;
  /** Creates a secret; throws ResourceAlreadyExistsError when one of that name exists (the loser of a race re-reads). */
  create(name: string, data: string): Promise<GlobalSecret>;
  /** Replaces a secret's data if its version is `expectVersion`; throws ResourceNotFoundError, VersionConflictError. */
  update(name: string, data: string, expectVersion: string): Promise<GlobalSecret>;
  /** Deletes a secret (if its version is `expectVersion`, when given); throws ResourceNotFoundError, VersionConflictError. */
  delete(name: string, expectVersion?: string): Promise<void>;
}

const SECRET_NAME = /^[a-z0-9]([a-z0-9-]{0,251}[a-z0-9])?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Throws a TypeError for a name or data no secret can have (callers build them, users never do). */
export function assertSecret(name: string, data?: string): void {
  if (!SECRET_NAME.test(name))
    throw new TypeError(`invalid global secret name ${JSON.stringify(name)}`);
  if (data !== undefined && !BASE64.test(data))
    throw new TypeError(`the data of global secret ${name} is not base64`);
}
