/** Content negotiation (http-api.md §2): the API only produces JSON. */
import { ApiError, Title } from "./api-error.js";

const notAcceptable = (): ApiError =>
  new ApiError(406, Title.notAcceptable, "the API produces application/json");

/** Whether an Accept header admits application/json (absent or empty admits everything). */
export function admitsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept === "*/*" || accept === "application/json") return true;
  return admitsMediaType(accept, "application/json");
}

/** Whether an Accept header admits `type` (`main/sub`): itself, `main/*` or `*\/*` with a non-zero q. */
export function admitsMediaType(accept: string | undefined, type: string): boolean {
  if (accept === undefined || accept.trim() === "") return true;
  const wildcard = `${type.slice(0, type.indexOf("/"))}/*`;
  for (const range of accept.split(",")) {
    const [mediaRange = "", ...params] = range.split(";");
    const media = mediaRange.trim().toLowerCase();
    if (media !== type && media !== wildcard && media !== "*/*") continue;
    const q = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith("q="));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/** Throws 406 unless the Accept header admits JSON. */
export function checkAccept(accept: string | undefined): void {
  if (!admitsJson(accept)) throw notAcceptable();
}
