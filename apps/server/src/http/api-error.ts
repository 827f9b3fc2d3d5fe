/**
 * The one error class of the API: every failure the server answers, from
 * routing to storage, becomes an ApiError before it is written
 * (http-api.md §3).
 */
import type { Cause, ErrorBody } from "@kuma-ts/model";

/** The titles of http-api.md §3: what failed, per operation. */
export const Title = {
  retrieve: "Could not retrieve a resource",
  retrieveList: "Could not retrieve resources",
  retrieveOverview: "Could not retrieve a dataplane overview",
  inspectDataplane: "Could not inspect a dataplane",
  inspectPolicy: "Could not inspect a policy",
  process: "Could not process a resource",
  create: "Could not create a resource",
  update: "Could not update a resource",
  delete: "Could not delete a resource",
  notFound: "Not found",
  methodNotAllowed: "Method not allowed",
  notAcceptable: "Not acceptable",
  /** Routes that are not about resources (index, config, catalog) and failures before routing. */
  internal: "Internal Server Error",
} as const;

/** An error answered to the client: status, title, details, causes and extra headers. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly title: string,
    readonly details: string,
    readonly causes: readonly Cause[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${title}: ${details}`);
  }

  /** The JSON body; `causes` is left out when empty. */
  toJSON(): ErrorBody {
    return this.causes.length > 0
      ? { title: this.title, details: this.details, causes: [...this.causes] }
      : { title: this.title, details: this.details };
  }
}

/** 404 `Not found` for a resource that does not exist. */
export const notFound = (title: string): ApiError => new ApiError(404, title, "Not found");

/** 400 `Resource is not valid` with the given causes. */
export const invalidResource = (title: string, causes: readonly Cause[]): ApiError =>
  new ApiError(400, title, "Resource is not valid", causes);

/** 412 `Precondition Failed`. */
export const preconditionFailed = (title: string): ApiError => new ApiError(412, title, "Precondition Failed");
