/**
 * The list cursor shared by both engines: the last name a page returned,
 * base64url-encoded. Being name-based, paging stays stable while items are
 * added and removed: the next page starts after that name, whatever
 * happened before it. Offsets that no list produced are rejected.
 */
import { isValidName } from "@kuma-ts/model";
import { InvalidCursorError } from "./errors.js";

const MARK = "n:";

/** The cursor of the page that follows `lastName`. */
export function encodeCursor(lastName: string): string {
  return Buffer.from(MARK + lastName, "utf8").toString("base64url");
}

/** The name a cursor continues after; throws InvalidCursorError for anything encodeCursor did not produce. */
export function decodeCursor(offset: string): string {
  const text = Buffer.from(offset, "base64url").toString("utf8");
  const name = text.slice(MARK.length);
  if (!text.startsWith(MARK) || !isValidName(name) || encodeCursor(name) !== offset) {
    throw new InvalidCursorError(offset);
  }
  return name;
}

/** A page size: a positive integer, or undefined for the whole collection. */
export function checkPageSize(size: number | undefined): number | undefined {
  if (size !== undefined && (!Number.isSafeInteger(size) || size < 1)) {
    throw new RangeError(`page size must be a positive integer, got ${size}`);
  }
  return size;
}
