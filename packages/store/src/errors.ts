/** The store's typed errors: the only errors its operations throw on purpose. */

/** A stable code for each store error, for translation at the API boundary. */
export type StoreErrorCode =
  | "NOT_FOUND"
  | "ALREADY_EXISTS"
  | "CONFLICT"
  | "MESH_NOT_FOUND"
  | "INVALID_CURSOR"
  | "INVALID_RESUME_TOKEN"
  | "UNAVAILABLE"
  | "CORRUPTED";

/** Base class of the store's errors. */
export abstract class StoreError extends Error {
  abstract readonly code: StoreErrorCode;
}

/** The resource does not exist. */
export class ResourceNotFoundError extends StoreError {
  override readonly name = "ResourceNotFoundError";
  readonly code = "NOT_FOUND";
  constructor(
    readonly type: string,
    readonly mesh: string | undefined,
    readonly resourceName: string,
  ) {
    super(`${type} ${mesh ? `${mesh}/` : ""}${resourceName} not found`);
  }
}

/** A resource of that type and name already exists in that mesh. */
export class ResourceAlreadyExistsError extends StoreError {
  override readonly name = "ResourceAlreadyExistsError";
  readonly code = "ALREADY_EXISTS";
  constructor(
    readonly type: string,
    readonly mesh: string | undefined,
    readonly resourceName: string,
  ) {
    super(`${type} ${mesh ? `${mesh}/` : ""}${resourceName} already exists`);
  }
}

/** The stored version is not the expected one. */
export class VersionConflictError extends StoreError {
  override readonly name = "VersionConflictError";
  readonly code = "CONFLICT";
  constructor(
    readonly expectedVersion: string,
    readonly actualVersion: string | undefined,
  ) {
    super(`expected version ${expectedVersion}, found ${actualVersion ?? "none"}`);
  }
}

/** A mesh-scoped resource cannot be created: its mesh does not exist. */
export class MeshNotFoundError extends StoreError {
  override readonly name = "MeshNotFoundError";
  readonly code = "MESH_NOT_FOUND";
  constructor(readonly mesh: string) {
    super(`mesh ${mesh} not found`);
  }
}

/** A list offset that no list produced. */
export class InvalidCursorError extends StoreError {
  override readonly name = "InvalidCursorError";
  readonly code = "INVALID_CURSOR";
  constructor(readonly offset: string) {
    super(`invalid offset ${JSON.stringify(offset)}`);
  }
}

/** A text that no store could have produced as a resume token. */
export class InvalidResumeTokenError extends StoreError {
  override readonly name = "InvalidResumeTokenError";
  readonly code = "INVALID_RESUME_TOKEN";
  constructor(readonly token: string) {
    super("invalid resume token");
  }
}

/** The backend is unreachable or did not answer in time. */
export class StoreUnavailableError extends StoreError {
  override readonly name = "StoreUnavailableError";
  readonly code = "UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A value read back from the backend does not decode; names the key. */
export class CorruptedValueError extends StoreError {
  override readonly name = "CorruptedValueError";
  readonly code = "CORRUPTED";
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`corrupted value at ${key}: ${reason}`);
  }
}
