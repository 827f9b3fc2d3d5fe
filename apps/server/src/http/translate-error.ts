/**
 * The one place where store and codec errors become HTTP answers
 * (http-api.md §3). Everything below the error middleware throws typed
 * errors; this decides status, details and causes.
 */
import { ResourceDecodeError } from "@kuma-ts/model";
import { MeshNotFoundError, StoreError } from "@kuma-ts/store";
import { ApiError, Title } from "./api-error.js";
import { RequestAbortedError } from "./request-body.js";

/** Whether an error was expected (an ApiError after translation) or must be logged as a fault. */
export interface TranslatedError {
  readonly error: ApiError;
  /** True for 500s: the cause is logged, never sent. */
  readonly unexpected: boolean;
}

/** Translates anything thrown while serving an operation whose failure title is `title`. */
export function translateError(thrown: unknown, title: string): TranslatedError {
  if (thrown instanceof ApiError) return { error: thrown, unexpected: false };
  if (thrown instanceof RequestAbortedError) {
    // Nobody is left to read the answer; not a fault of the server either.
    return expected(new ApiError(400, Title.process, "Bad Request"));
  }
  if (thrown instanceof ResourceDecodeError) {
    const details = thrown.failure === "malformed" ? "Bad Request" : "Resource is not valid";
    return { error: new ApiError(400, Title.process, details, thrown.causes), unexpected: false };
  }
  if (thrown instanceof StoreError) {
    switch (thrown.code) {
      case "NOT_FOUND":
        return expected(new ApiError(404, title, "Not found"));
      case "ALREADY_EXISTS":
      case "CONFLICT":
        return expected(new ApiError(409, title, "Conflict"));
      case "MESH_NOT_FOUND": {
        // Only a creation checks the mesh; a PUT without preconditions learns that it was one here.
        const mesh = thrown instanceof MeshNotFoundError ? thrown.mesh : "";
        return expected(
          new ApiError(400, Title.create, "Mesh is not found", [
            { field: "mesh", message: `mesh of name ${mesh} is not found` },
          ]),
        );
      }
      case "INVALID_CURSOR":
        return expected(
          new ApiError(400, Title.retrieveList, "Bad Request", [{ field: "offset", message: "invalid offset" }]),
        );
      case "UNAVAILABLE":
        return expected(new ApiError(503, title, "Service Unavailable"));
      case "CORRUPTED":
        break;
    }
  }
  return { error: new ApiError(500, title, "Internal Server Error"), unexpected: true };
}

const expected = (error: ApiError): TranslatedError => ({ error, unexpected: false });
