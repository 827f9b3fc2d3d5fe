/**
 * User-token signing keys (auth.md §4): PKCS#8 PEM private keys kept as
 * GlobalSecrets `user-token-signing-key-<N>` in the store, so that every
 * replica signs and verifies with the same keys. Reads go through a cache
 * that lives at most KEY_CACHE_MS, so a rotation or a deletion on one
 * replica is seen by every other within about a second; a `kid` the cache
 * does not know re-reads the store before it is refused.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import { exportPKCS8, generateKeyPair } from "jose";
import { ResourceAlreadyExistsError, type GlobalSecret, type GlobalSecretStore } from "@kuma-ts/store";

/** How long a read of the keys is trusted. */
export const KEY_CACHE_MS = 1000;

/** The algorithms a signing key may have. */
export type SigningAlgorithm = "EdDSA" | "RS256";

/** One key, ready to sign and verify. */
export interface SigningKey {
  /** The key's serial, the tokens' `kid`. */
  readonly kid: string;
  readonly serial: number;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const KEY_PREFIX = "user-token-signing-key";
const KEY_NAME = /^user-token-signing-key(?:-([1-9]\d{0,8}))?$/;

/** The GlobalSecret name of the key with `serial` (0: the unsuffixed name of older versions). */
export const signingKeyName = (serial: number): string => (serial === 0 ? KEY_PREFIX : `${KEY_PREFIX}-${serial}`);

/** The serial of a signing key's secret name, or undefined for any other secret. */
function serialOf(name: string): number | undefined {
  const match = KEY_NAME.exec(name);
  return match ? Number(match[1] ?? "0") : undefined;
}

/** The algorithm of a key object, or undefined for a kind of key tokens are never signed with. */
export function algorithmOf(key: KeyObject): SigningAlgorithm | undefined {
  if (key.asymmetricKeyType === "ed25519") return "EdDSA";
  if (key.asymmetricKeyType === "rsa" && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048) return "RS256";
  return undefined;
}

/** Deleting the only signing key would leave nothing to sign or verify with. */
export class LastSigningKeyError extends Error {
  override readonly name = "LastSigningKeyError";
}

/** The signing keys of the store, cached. */
export class SigningKeys {
  private snapshot: { readonly at: number; readonly keys: ReadonlyMap<string, SigningKey> } | undefined;
  private loading: Promise<ReadonlyMap<string, SigningKey>> | undefined;
  /** Parsed keys by secret name and version: a PEM is parsed once. */
  private readonly parsed = new Map<string, { version: string; key: SigningKey | undefined }>();

  constructor(
    private readonly secrets: GlobalSecretStore,
    private readonly algorithm: SigningAlgorithm,
    private readonly now: () => number = Date.now,
  ) {}

  /** Creates key 1 unless a signing key exists; of replicas starting together exactly one creates it. */
  async ensureKey(): Promise<void> {
    if ((await this.reload()).size > 0) return;
    try {
      await this.secrets.create(signingKeyName(1), await newKeyData(this.algorithm));
    } catch (error) {
      if (!(error instanceof ResourceAlreadyExistsError)) throw error;
    }
    await this.reload();
  }

  /** The key new tokens are signed with: the highest serial. Creates key 1 when there is none. */
  async current(): Promise<SigningKey> {
    let keys = await this.cached();
    if (keys.size === 0) {
      await this.ensureKey();
      keys = await this.cached();
    }
    let best: SigningKey | undefined;
    for (const key of keys.values()) if (!best || key.serial > best.serial) best = key;
    if (!best) throw new Error("no signing key could be created");
    return best;
  }

  /** The key of a `kid`, re-reading the store once before giving up. */
  async byKid(kid: string): Promise<SigningKey | undefined> {
    const cached = (await this.cached()).get(kid);
    if (cached) return cached;
    return (await this.reload()).get(kid);
  }

  /** Whether a key is still in the (≤ 1 s old) cache, without waiting: for tokens verified before. */
  async stillExists(kid: string): Promise<boolean> {
    return (await this.cached()).has(kid);
  }

  /** Adds a key with the next serial; returns its kid. */
  async rotate(): Promise<string> {
    for (;;) {
      const keys = await this.reload();
      const next = Math.max(0, ...[...keys.values()].map((key) => key.serial)) + 1;
      try {
        await this.secrets.create(signingKeyName(next), await newKeyData(this.algorithm));
        await this.reload();
        return String(next);
      } catch (error) {
        if (!(error instanceof ResourceAlreadyExistsError)) throw error;
      }
    }
  }

  /** Deletes a key; false when there is no such key. Throws LastSigningKeyError for the only one. */
  async delete(kid: string): Promise<boolean> {
    const keys = await this.reload();
    const key = keys.get(kid);
    if (!key) return false;
    if (keys.size === 1) throw new LastSigningKeyError("cannot delete the last signing key");
    try {
      await this.secrets.delete(signingKeyName(key.serial));
    } finally {
      await this.reload();
    }
    return true;
  }

  private async cached(): Promise<ReadonlyMap<string, SigningKey>> {
    const snapshot = this.snapshot;
    if (snapshot && this.now() - snapshot.at < KEY_CACHE_MS) return snapshot.keys;
    return this.reload();
  }

  /** Reads the keys from the store; concurrent callers share one read. */
  private reload(): Promise<ReadonlyMap<string, SigningKey>> {
    this.loading ??= (async () => {
      try {
        const at = this.now();
        const keys = new Map<string, SigningKey>();
        for (const secret of await this.secrets.list()) {
          const key = this.parse(secret);
          if (key) keys.set(key.kid, key);
        }
        this.snapshot = { at, keys };
        return keys;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  private parse(secret: GlobalSecret): SigningKey | undefined {
    const serial = serialOf(secret.name);
    if (serial === undefined) return undefined;
    const known = this.parsed.get(secret.name);
    if (known && known.version === secret.version) return known.key;
    const key = parseSigningKey(serial, secret.data);
    this.parsed.set(secret.name, { version: secret.version, key });
    return key;
  }
}

/** A new private key as the base64 of its PKCS#8 PEM. */
async function newKeyData(algorithm: SigningAlgorithm): Promise<string> {
  const { privateKey } = await generateKeyPair(algorithm, {
    extractable: true,
    ...(algorithm === "RS256" ? { modulusLength: 2048 } : {}),
  });
  return Buffer.from(await exportPKCS8(privateKey)).toString("base64");
}

/** A stored key, or undefined when its data is not a usable private key. */
function parseSigningKey(serial: number, data: string): SigningKey | undefined {
  try {
    const privateKey = createPrivateKey(Buffer.from(data, "base64").toString("utf8"));
    const alg = algorithmOf(privateKey);
    if (!alg) return undefined;
    return Object.freeze({ kid: String(serial), serial, alg, privateKey, publicKey: createPublicKey(privateKey) });
  } catch {
    return undefined;
  }
}
