/**
 * kumactl's error classes. They carry what the entry point (program.ts)
 * needs to print `Error: ...` the way kumactl does; only it prints them.
 */
import type { Command } from "commander";
import type { KumaClientError } from "@kuma-ts/client";
import type { ControlPlane } from "./kumactl-config/config.js";

/** A failure printed as `Error: <message>` (exit status 1). */
export class CliError extends Error {
  override readonly name: string = "CliError";
}

/** A flag or argument problem: the message is followed by the command's usage. */
export class UsageError extends CliError {
  override readonly name = "UsageError";
  constructor(
    message: string,
    readonly command: Command,
  ) {
    super(message);
  }
}

/** An unknown subcommand: followed by `Run '<command> --help' for usage.` */
export class UnknownCommandError extends CliError {
  override readonly name = "UnknownCommandError";
  constructor(
    readonly unknownName: string,
    readonly command: Command,
  ) {
    super(`unknown command "${unknownName}" for "${commandPath(command)}"`);
  }
}

/**
 * A call to the control plane failed; `context` says what kumactl was doing
 * (`failed to list Meshes`), `controlPlane` which one it called.
 */
export class RequestFailedError extends CliError {
  override readonly name = "RequestFailedError";
  constructor(
    readonly context: string,
    readonly failure: KumaClientError,
    readonly controlPlane: ControlPlane,
  ) {
    super(`${context}: ${failure.message}`);
  }
}

/** `kumactl config control-planes add`: the names from the root down. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
