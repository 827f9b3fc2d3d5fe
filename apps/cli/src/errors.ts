/**
 * kumactl's error classes. They carry what the entry point (program.ts)
 * needs to print `Error: ...` the way kumactl does; only it prints them.
 */
import type { Command } from "commander";
import { KumaClientError } from "@kuma-ts/client";

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

/** A call to the control plane failed; `context` says what kumactl was doing (`failed to list Meshes`). */
export class RequestFailedError extends CliError {
  override readonly name = "RequestFailedError";
  constructor(
    readonly context: string,
    readonly failure: KumaClientError,
  ) {
    super(`${context}: ${failure.message}`);
  }
}

/** Runs a client call; a client error becomes a RequestFailedError with the given context. */
export async function requesting<T>(context: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof KumaClientError) throw new RequestFailedError(context, error);
    throw error;
  }
}

/** `kumactl config control-planes add`: the names from the root down. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(" ");
}
