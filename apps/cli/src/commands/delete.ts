/** `kumactl delete TYPE NAME`. */
import { ApiError } from "@kuma-ts/client";
import type { KumactlCommand } from "../command.js";
import { namesOf, oneOf } from "../completion/completions.js";
import { CliError } from "../errors.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, onRun } from "./define.js";
import { typeBySingular, typesForMessages } from "./registry-types.js";

export function addDeleteCommand(root: KumactlCommand, deps: KumactlDependencies): void {
  const typeNames = typesForMessages().map((type) => type.kumactl.singular);
  const command = defineCommand(root, {
    name: "delete",
    use: "TYPE NAME",
    completeArgs: [
      oneOf(typeNames),
      ([typeName]) => {
        const type = typeBySingular(typeName);
        return type && namesOf(type);
      },
    ],
    short: "Delete Kuma resources",
    long: "Delete Kuma resources.",
  });
  onRun(command, deps, { args: { exactly: 2 } }, async (context, [typeName, name]) => {
    const type = typeBySingular(typeName);
    if (!type) {
      throw new CliError(`unknown TYPE: ${typeName}. Allowed values: ${typeNames.join(", ")}`);
    }
    await context.request(
      `failed to delete ${type.name} ${JSON.stringify(name)}`,
      async (client) => {
        try {
          await client.resources(type).delete({ mesh: context.mesh, name: name! });
        } catch (error) {
          if (error instanceof ApiError && error.status === 404) {
            throw new CliError(`there is no ${type.name} with name ${JSON.stringify(name)}`);
          }
          throw error;
        }
      },
    );
    context.err(`deleted ${type.name} ${JSON.stringify(name)}\n`);
  });
}
