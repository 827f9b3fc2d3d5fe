/**
 * User tokens (auth.md §3): JWTs signed and verified with `jose`. The
 * verifier takes the key the `kid` names and accepts only that key's
 * algorithm, so `alg: none`, HMAC with a public key and other algorithm
 * confusions are refused. A token verified once is remembered (bounded),
 * but its expiry, its key and the revocation list are checked on every use,
 * each from a cache at most a second old.
 */
import { createPublicKey, randomUUID, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { decodeProtectedHeader, errors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { tokenUser, type User } from "./identity.js";
import type { Revocations } from "./revocations.js";
import { algorithmOf, type SigningAlgorithm, type SigningKeys } from "./signing-keys.js";

/** Why a token was refused: the category the audit log and the server log show (never the token). */
export type RejectionReason =
  | "malformed"
  | "missing kid"
  | "unknown signing key"
  | "bad signature"
  | "expired"
  | "not yet valid"
  | "invalid claims"
  | "revoked";

/** A token that does not authenticate anyone. */
export class TokenRejectedError extends Error {
  override readonly name = "TokenRejectedError";
  constructor(
    readonly reason: RejectionReason,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
  }
}

/** What a valid token says. */
export interface VerifiedToken {
  readonly user: User;
  /** The token's `jti`. */
  readonly id: string;
  readonly kid: string;
  /** Expiry, in epoch milliseconds. */
  readonly expiresAt: number;
}

/** A public key that verifies tokens issued elsewhere (`validator.publicKeys`). */
export interface StaticPublicKey {
  readonly kid: string;
  readonly key?: string;
  readonly keyFile?: string;
}

/** `iat` and `nbf` are set this far in the past, as Kuma does, to absorb clock skew between replicas. */
const BACKDATE_SECONDS = 5;
/** At most this many verified tokens are remembered. */
const VERIFIED_CACHE_SIZE = 10_000;

/** Hint logged with an unknown `kid` (Kuma's advice, adapted). */
export const UNKNOWN_KEY_HINT =
  "the token's signing key does not exist: it was rotated away, or the control plane uses the memory store and was restarted, which creates a new signing key so that every token issued before is invalid";

/** Issues and verifies user tokens. */
export class UserTokens {
  private readonly verified = new Map<string, VerifiedToken>();
  private readonly staticKeys: ReadonlyMap<string, { alg: SigningAlgorithm; key: KeyObject }>;

  constructor(
    private readonly options: {
      readonly keys: SigningKeys;
      readonly revocations: Revocations;
      /** Verify with the keys in the store (`validator.useSecrets`). */
      readonly useSecrets: boolean;
      readonly publicKeys: readonly StaticPublicKey[];
      /** `tokens.issuer`: the `iss` issued and required; empty for none (as in Kuma). */
      readonly issuer?: string;
      readonly now?: () => number;
    },
  ) {
    this.staticKeys = new Map(options.publicKeys.map((entry) => [entry.kid, loadStaticKey(entry)]));
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Signs a token for `name` in `groups`, valid for `validForMs`. */
  async issue(name: string, groups: readonly string[], validForMs: number): Promise<string> {
    const key = await this.options.keys.current();
    const now = this.now();
    const issuedAt = Math.floor(now / 1000) - BACKDATE_SECONDS;
    const issuer = this.options.issuer;
    return await new SignJWT({
      Name: name,
      Groups: [...groups],
      ...(issuer ? { iss: issuer } : {}),
    })
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "JWT" })
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(Math.floor((now + validForMs) / 1000))
      .sign(key.privateKey);
  }

  /** The token's user; throws TokenRejectedError for any token that does not authenticate. */
  async verify(token: string): Promise<VerifiedToken> {
    const known = this.verified.get(token);
    const result = known ? await this.recheck(known) : await this.verifyNew(token);
    if (await this.options.revocations.isRevoked(result.id))
      throw new TokenRejectedError("revoked");
    return result;
  }

  /** Whether a token verified before is still valid now (expiry, key, revocation): for open streams. */
  async stillValid(token: VerifiedToken): Promise<boolean> {
    try {
      await this.recheck(token);
      return !(await this.options.revocations.isRevoked(token.id));
    } catch {
      return false;
    }
  }

  private async recheck(token: VerifiedToken): Promise<VerifiedToken> {
    if (this.now() >= token.expiresAt) throw new TokenRejectedError("expired");
    if (!this.staticKeys.has(token.kid) && !(await this.options.keys.stillExists(token.kid))) {
      throw new TokenRejectedError("unknown signing key", UNKNOWN_KEY_HINT);
    }
    return token;
  }

  private async verifyNew(token: string): Promise<VerifiedToken> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new TokenRejectedError("malformed");
    }
    if (typeof kid !== "string" || kid === "") throw new TokenRejectedError("missing kid");
    const key = await this.keyOf(kid);
    if (!key) throw new TokenRejectedError("unknown signing key", UNKNOWN_KEY_HINT);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key.key, {
        algorithms: [key.alg],
        requiredClaims: ["exp", "jti"],
        clockTolerance: 0,
        currentDate: new Date(this.now()),
        ...(this.options.issuer ? { issuer: this.options.issuer } : {}),
      }));
    } catch (error) {
      throw new TokenRejectedError(reasonOf(error));
    }
    const verified = Object.freeze({
      user: userOf(payload),
      id: payload.jti as string,
      kid,
      expiresAt: (payload.exp as number) * 1000,
    });
    if (!/^[A-Za-z0-9._~:-]{1,128}$/.test(verified.id))
      throw new TokenRejectedError("invalid claims", "jti");
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.clear();
    this.verified.set(token, verified);
    return verified;
  }

  private async keyOf(kid: string): Promise<{ alg: SigningAlgorithm; key: KeyObject } | undefined> {
    const fixed = this.staticKeys.get(kid);
    if (fixed) return fixed;
    if (!this.options.useSecrets) return undefined;
    const stored = await this.options.keys.byKid(kid);
    return stored && { alg: stored.alg, key: stored.publicKey };
  }
}

/** The user of verified claims; Kuma's `Name` and `Groups` (a null or absent Groups is no groups). */
function userOf(payload: JWTPayload): User {
  const name = payload.Name;
  const groups = payload.Groups ?? [];
  if (typeof name !== "string" || name === "")
    throw new TokenRejectedError("invalid claims", "Name");
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === "string")) {
    throw new TokenRejectedError("invalid claims", "Groups");
  }
  return tokenUser(name, groups as string[]);
}

function reasonOf(error: unknown): RejectionReason {
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed)
    return error.claim === "nbf" ? "not yet valid" : "invalid claims";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "bad signature";
  return "malformed";
}

/** A configured public key; a key that cannot be read is a start-up error. */
function loadStaticKey(entry: StaticPublicKey): { alg: SigningAlgorithm; key: KeyObject } {
  const pem = entry.key ?? (entry.keyFile ? readFileSync(entry.keyFile, "utf8") : undefined);
  if (pem === undefined)
    throw new Error(
      `apiServer.authn.tokens.validator.publicKeys: key ${entry.kid} has neither key nor keyFile`,
    );
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(
      `apiServer.authn.tokens.validator.publicKeys: key ${entry.kid} is not a PEM public key: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  const alg = algorithmOf(key);
  if (!alg)
    throw new Error(
      `apiServer.authn.tokens.validator.publicKeys: key ${entry.kid} is neither Ed25519 nor RSA of at least 2048 bits`,
    );
  return { alg, key };
}
