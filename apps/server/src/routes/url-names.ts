import { isValidName } from "@kuma-ts/model";

/**
 * Whether the names of a GET/DELETE URL could exist at all. Names are not
 * validated there (a bad one is simply not found), but one that breaks the
 * rules can never have been stored, so it never reaches the store's keys.
 */
export const couldExist = (mesh: string | undefined, name: string): boolean =>
  isValidName(name) && (mesh === undefined || isValidName(mesh));
