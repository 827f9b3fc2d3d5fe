/** `kumactl generate user-token` and `kumactl revoke user-token` (auth.md §5). */
import type { KumactlCommand } from "../command.js";
import { CliError } from "../errors.js";
import { stringArrayFlag, stringFlag } from "../flags.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, defineGroup, onRun } from "./define.js";

export function addTokenCommands(root: KumactlCommand, deps: KumactlDependencies): void {
  const generate = defineGroup(root, deps, {
    name: "generate",
    short: "Generate resources, tokens, etc",
    long: "Generate resources, tokens, etc.",
  });
  const userToken = defineCommand(generate, {
    name: "user-token",
    short: "Generate a user token",
    long: "Generate a user token that authenticates the given user (and groups) to the Control Plane API Server.",
  });
  stringFlag(userToken, { long: "name", usage: "name of the user (required)" });
  stringArrayFlag(userToken, { long: "group", usage: "group of the user (repeatable)" });
  stringFlag(userToken, { long: "valid-for", usage: "how long the token is valid, e.g. 24h (required)" });
  onRun(userToken, deps, { args: "none" }, async (context) => {
    const flags = userToken.opts<{ name?: string; group: string[]; validFor?: string }>();
    const missing = [flags.name === undefined && "name", flags.validFor === undefined && "valid-for"].filter(Boolean);
    if (missing.length > 0) throw new CliError(`required flag(s) ${missing.map((f) => `"${f}"`).join(", ")} not set`);
    const token = await context.request("failed to generate a user token", (client) =>
      client.issueUserToken({ name: flags.name!, groups: flags.group, validFor: flags.validFor! }),
    );
    context.out(`${token}\n`);
  });

  const revoke = defineGroup(root, deps, {
    name: "revoke",
    short: "Revoke tokens",
    long: "Revoke tokens.",
  });
  const revokeUserToken = defineCommand(revoke, {
    name: "user-token",
    short: "Revoke user tokens",
    long: "Revoke user tokens, by id (the token's jti) or by the token itself. Every control plane refuses them within about a second.",
  });
  stringArrayFlag(revokeUserToken, { long: "id", usage: "id (jti) of a token to revoke (repeatable)" });
  stringArrayFlag(revokeUserToken, { long: "token", usage: "a token to revoke (repeatable)" });
  onRun(revokeUserToken, deps, { args: "none" }, async (context) => {
    const flags = revokeUserToken.opts<{ id: string[]; token: string[] }>();
    if (flags.id.length === 0 && flags.token.length === 0) throw new CliError("provide at least one --id or --token");
    const revoked = await context.request("failed to revoke user tokens", (client) =>
      client.revokeUserTokens({ ids: flags.id, tokens: flags.token }),
    );
    context.err(`revoked ${revoked.length} token(s): ${revoked.join(", ")}\n`);
  });
}
