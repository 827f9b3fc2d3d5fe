/**
 * What a flag's value or a command's argument completes to in the shell,
 * declared next to the flag or the argument (`completeArgs: [namesOf(type)]`)
 * and read by `kumactl __complete`.
 */
import type { AnyResourceType } from "@kuma-ts/model";

/** A kind of shell completion. */
export type Completion =
  | { readonly kind: "words"; readonly words: readonly string[] }
  | { readonly kind: "names"; readonly type: AnyResourceType }
  | { readonly kind: "files" };

/** What one positional argument completes to: fixed, or depending on the arguments before it (`delete TYPE NAME`). */
export type ArgumentCompletion =
  Completion | ((previous: readonly string[]) => Completion | undefined);

/** One of these words. */
export function oneOf(words: readonly string[]): Completion {
  return { kind: "words", words };
}

/** The names of the resources of a type, fetched from the current control plane (in the `--mesh` mesh). */
export function namesOf(type: AnyResourceType): Completion {
  return { kind: "names", type };
}

/** Paths: the shell completes file names. */
export const filePaths: Completion = { kind: "files" };
