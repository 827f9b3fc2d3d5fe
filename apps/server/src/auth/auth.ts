/**
 * The API's authentication service, built from `apiServer.authn` and
 * `access`: signing keys, revocations, tokens and the request
 * authenticator, over the store's GlobalSecrets.
 */
import type { Logger } from "pino";
import { parseDuration, type ServerConfig } from "@kuma-ts/model";
import { ResourceAlreadyExistsError, type GlobalSecretStore } from "@kuma-ts/store";
import type { ApiContext } from "../http/context.js";
import { createAuthenticator } from "./authentication.js";
import { Authorizer } from "./authorizer.js";
import { ADMIN_GROUP } from "./identity.js";
import { Revocations } from "./revocations.js";
import { SigningKeys, type SigningAlgorithm } from "./signing-keys.js";
import { UserTokens, type StaticPublicKey } from "./user-tokens.js";

/** The GlobalSecret that holds the bootstrap admin token; the only one the API reads out. */
export const ADMIN_TOKEN_SECRET = "admin-user-token";
/** The bootstrap admin token is valid for ten years (Kuma's choice). */
const ADMIN_TOKEN_VALID_FOR_MS = 10 * 365 * 24 * 3600 * 1000;

/** Everything the API needs to authenticate and to manage tokens. */
export interface Auth {
  readonly config: ServerConfig;
  readonly keys: SigningKeys;
  readonly revocations: Revocations;
  readonly tokens: UserTokens;
  readonly secrets: GlobalSecretStore;
  /** Resource rules (auth.md §6). */
  readonly authorizer: Authorizer;
  /** Sets the caller of a request (auth.md §2); throws 401. */
  readonly authenticate: (ctx: ApiContext) => Promise<void>;
  /** The largest `validFor` in milliseconds, 0 for none. */
  readonly maxValidForMs: number;
  /** At start-up on every replica: the signing key, then the bootstrap admin token; exactly one of each across replicas. */
  bootstrap(): Promise<void>;
}

/** Builds the authentication service. */
export function createAuth(options: {
  readonly config: ServerConfig;
  readonly secrets: GlobalSecretStore;
  readonly logger: Logger;
}): Auth {
  const { config, secrets, logger } = options;
  const tokenConfig = config.apiServer.authn.tokens;
  // The configuration schema only admits the algorithms SigningKeys knows.
  const keys = new SigningKeys(secrets, tokenConfig.signingAlgorithm as SigningAlgorithm);
  const revocations = new Revocations(secrets);
  const tokens = new UserTokens({
    keys,
    revocations,
    useSecrets: tokenConfig.validator.useSecrets,
    publicKeys: tokenConfig.validator.publicKeys as StaticPublicKey[],
    issuer: tokenConfig.issuer,
  });
  const maxValidForMs = Number((parseDuration(tokenConfig.maxValidFor) ?? 0n) / 1_000_000n);
  return {
    config,
    keys,
    revocations,
    tokens,
    secrets,
    authorizer: new Authorizer(config),
    maxValidForMs,
    authenticate: createAuthenticator({
      localhostIsAdmin: config.apiServer.authn.localhostIsAdmin,
      tokens,
      logger,
    }),
    async bootstrap() {
      if (!tokenConfig.validator.useSecrets && !tokenConfig.enableIssuer) return;
      await keys.ensureKey();
      if (!tokenConfig.bootstrapAdminToken || !tokenConfig.enableIssuer) return;
      if (await secrets.get(ADMIN_TOKEN_SECRET)) return;
      const token = await tokens.issue(ADMIN_GROUP, [ADMIN_GROUP], ADMIN_TOKEN_VALID_FOR_MS);
      try {
        await secrets.create(ADMIN_TOKEN_SECRET, Buffer.from(token, "utf8").toString("base64"));
      } catch (error) {
        if (error instanceof ResourceAlreadyExistsError) return; // another replica won
        throw error;
      }
      logger.info(
        "created the admin user token in GlobalSecret admin-user-token. To use it from another machine, read it on the control plane's machine " +
          "with `curl -s localhost:5681/global-secrets/admin-user-token | jq -r .data | base64 -d` and configure kumactl with " +
          "`kumactl config control-planes add --name NAME --address URL --auth-type tokens --auth-conf token=TOKEN`",
      );
    },
  };
}
