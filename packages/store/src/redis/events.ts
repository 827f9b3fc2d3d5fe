/** Change events as the scripts publish them: one JSON object per message. */
import { isValidName, resourceTypeByName } from "@kuma-ts/model";
import type { ChangeEvent } from "../contract.js";

const KINDS: ReadonlySet<string> = new Set(["created", "updated", "deleted"]);

/** A published message as a ChangeEvent; undefined for anything our scripts would not publish. */
export function parseChangeEvent(message: string): ChangeEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const { kind, type, mesh, name, version } = value as Record<string, unknown>;
  const registered = typeof type === "string" ? resourceTypeByName(type) : undefined;
  if (
    typeof kind !== "string" ||
    !KINDS.has(kind) ||
    !registered ||
    typeof mesh !== "string" ||
    !isValidName(mesh) ||
    typeof name !== "string" ||
    !isValidName(name) ||
    typeof version !== "string"
  ) {
    return undefined;
  }
  return { kind: kind as ChangeEvent["kind"], type: registered.name, mesh, name, version };
}
