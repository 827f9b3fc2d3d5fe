/**
 * Authorization of resource verbs (auth.md §6): static allow rules,
 * additive, deny by default, plus the implicit rule that lets
 * `mesh-system:admin` do everything. When the rules let every caller do
 * everything (the default), no request spends any work on them.
 */
import type { AccessRule } from "@kuma-ts/model";
import { ADMIN_GROUP, AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP, userString, type User } from "./identity.js";

/** A resource verb. */
export type Verb = "get" | "list" | "create" | "update" | "delete" | "watch";

const ALL_VERBS: readonly Verb[] = ["get", "list", "create", "update", "delete", "watch"];
const ALIASES: Readonly<Record<string, readonly Verb[]>> = {
  "*": ALL_VERBS,
  read: ["get", "list", "watch"],
  write: ["create", "update", "delete"],
};

/** One rule, compiled. */
interface CompiledRule {
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  /** undefined: every mesh. */
  readonly meshes: ReadonlySet<string> | undefined;
  /** undefined: every type. */
  readonly types: ReadonlySet<string> | undefined;
  readonly verbs: ReadonlySet<Verb>;
}

function compile(rule: AccessRule): CompiledRule {
  return {
    users: new Set(rule.users ?? []),
    groups: new Set(rule.groups ?? []),
    meshes: rule.meshes.includes("*") ? undefined : new Set(rule.meshes),
    types: rule.types.includes("*") ? undefined : new Set(rule.types),
    verbs: new Set(rule.verbs.flatMap((verb) => ALIASES[verb] ?? [verb as Verb])),
  };
}

/** The implicit rule of `mesh-system:admin`, which configuration cannot remove (localhost always works). */
const ADMIN_RULE = compile({ groups: [ADMIN_GROUP], meshes: ["*"], types: ["*"], verbs: ["*"] });

/** Whether a compiled rule grants everything to every kind of caller (anonymous, token, local admin). */
const grantsEveryone = (rule: CompiledRule): boolean =>
  rule.meshes === undefined &&
  rule.types === undefined &&
  ALL_VERBS.every((verb) => rule.verbs.has(verb)) &&
  rule.groups.has(UNAUTHENTICATED_GROUP) &&
  rule.groups.has(AUTHENTICATED_GROUP);

/** The resource rules. */
export class ResourceRules {
  private readonly rules: readonly CompiledRule[];
  /** Every caller may do everything: checks are skipped entirely. */
  readonly allowsEveryone: boolean;

  constructor(rules: readonly AccessRule[]) {
    const compiled = rules.map(compile);
    this.allowsEveryone = compiled.some(grantsEveryone);
    this.rules = [ADMIN_RULE, ...compiled];
  }

  /** Whether `user` may `verb` resources of `type` in `mesh`. */
  can(user: User, verb: Verb, type: string, mesh: string): boolean {
    if (this.allowsEveryone) return true;
    for (const rule of this.rules) {
      if (!rule.verbs.has(verb)) continue;
      if (rule.types && !rule.types.has(type)) continue;
      if (rule.meshes && !rule.meshes.has(mesh)) continue;
      if (rule.users.has(user.name) || user.groups.some((group) => rule.groups.has(group))) return true;
    }
    return false;
  }

  /**
   * A test of the meshes where `user` may do any of `verbs` on `type`, or
   * undefined when that is every mesh (so that lists need no filter).
   */
  meshFilter(user: User, verbs: readonly Verb[], type: string): ((mesh: string) => boolean) | undefined {
    if (this.allowsEveryone) return undefined;
    const meshes = new Set<string>();
    for (const rule of this.rules) {
      if (!verbs.some((verb) => rule.verbs.has(verb))) continue;
      if (rule.types && !rule.types.has(type)) continue;
      if (!(rule.users.has(user.name) || user.groups.some((group) => rule.groups.has(group)))) continue;
      if (!rule.meshes) return undefined;
      for (const mesh of rule.meshes) meshes.add(mesh);
    }
    return (mesh) => meshes.has(mesh);
  }
}

/** The details of a 403 for a resource verb (auth.md §7). */
export const resourceDenied = (user: User, verb: Verb, type: string, mesh: string): string =>
  `user "${userString(user)}" cannot ${verb} the resource of type "${type}" in mesh "${mesh}"`;
