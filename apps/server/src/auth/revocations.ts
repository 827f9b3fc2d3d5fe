/**
 * Revoked user tokens (auth.md §5), stored as in Kuma: GlobalSecret
 * `user-token-revocations`, data = the CSV of revoked `jti`s. Appends are
 * compare-and-set on the secret's version, so concurrent revocations on any
 * replicas all stick; reads are cached at most REVOCATION_CACHE_MS.
 */
import {
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  VersionConflictError,
  type GlobalSecretStore,
} from "@kuma-ts/store";

export const REVOCATIONS_SECRET = "user-token-revocations";
/** How long a read of the list is trusted. */
export const REVOCATION_CACHE_MS = 1000;

/** A `jti` that can go into the CSV (no commas or spaces): what our tokens' UUIDs and Kuma's look like. */
export const TOKEN_ID = /^[A-Za-z0-9._~:-]{1,128}$/;

const decode = (data: string): string[] =>
  Buffer.from(data, "base64")
    .toString("utf8")
    .split(",")
    .filter((id) => id !== "");
const encode = (ids: readonly string[]): string => Buffer.from(ids.join(","), "utf8").toString("base64");

/** The revocation list, cached. */
export class Revocations {
  private snapshot: { readonly at: number; readonly ids: ReadonlySet<string> } | undefined;
  private loading: Promise<ReadonlySet<string>> | undefined;

  constructor(
    private readonly secrets: GlobalSecretStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether a token id is revoked, as of at most a second ago. */
  async isRevoked(id: string): Promise<boolean> {
    const snapshot = this.snapshot;
    const ids = snapshot && this.now() - snapshot.at < REVOCATION_CACHE_MS ? snapshot.ids : await this.reload();
    return ids.has(id);
  }

  /** Adds ids to the list (idempotent). */
  async revoke(ids: readonly string[]): Promise<void> {
    for (;;) {
      const current = await this.secrets.get(REVOCATIONS_SECRET);
      try {
        if (!current) {
          await this.secrets.create(REVOCATIONS_SECRET, encode([...new Set(ids)]));
        } else {
          const stored = decode(current.data);
          const missing = ids.filter((id) => !stored.includes(id));
          if (missing.length > 0) {
            await this.secrets.update(REVOCATIONS_SECRET, encode([...stored, ...new Set(missing)]), current.version);
          }
        }
        break;
      } catch (error) {
        const lostRace =
          error instanceof VersionConflictError ||
          error instanceof ResourceAlreadyExistsError ||
          error instanceof ResourceNotFoundError;
        if (!lostRace) throw error;
      }
    }
    await this.reload();
  }

  private reload(): Promise<ReadonlySet<string>> {
    this.loading ??= (async () => {
      try {
        const at = this.now();
        const secret = await this.secrets.get(REVOCATIONS_SECRET);
        const ids = new Set(secret ? decode(secret.data) : []);
        this.snapshot = { at, ids };
        return ids;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}
