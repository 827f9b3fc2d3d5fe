/** Rules for resource and mesh names (resources.md §5). */

/** The longest name a resource or mesh may have. */
export const MAX_NAME_LENGTH = 253;

const NAME = /^[0-9a-z_-]+$/;

/** The cause message for a name that breaks the rules. */
export const INVALID_NAME_MESSAGE =
  "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.";

/** Whether a name may be used for a resource or a mesh (and so can never break a store key). */
export function isValidName(name: string): boolean {
  return name.length <= MAX_NAME_LENGTH && NAME.test(name);
}
