import { Type, type Static } from "@sinclair/typebox";

/** One reason a resource or request is invalid: a field path and a message. */
export const Cause = Type.Object({ field: Type.String(), message: Type.String() });
export type Cause = Static<typeof Cause>;

/** The body of every error the API answers (http-api.md §3). */
export const ErrorBody = Type.Object({
  title: Type.String(),
  details: Type.String(),
  causes: Type.Optional(Type.Array(Cause)),
});
export type ErrorBody = Static<typeof ErrorBody>;

/**
 * Why a body could not be decoded: `malformed` when it is not a JSON object
 * at all (answered as `Bad Request`), `invalid` when a field has the wrong
 * JSON type, an unknown name or an unparsable value (`Resource is not valid`).
 */
export type DecodeFailure = "malformed" | "invalid";

/** Thrown by the codec, and only by it: the body does not fit the resource's schema. */
export class ResourceDecodeError extends Error {
  override readonly name = "ResourceDecodeError";
  constructor(
    readonly failure: DecodeFailure,
    readonly causes: readonly Cause[],
  ) {
    super(causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join("; "));
  }
}
