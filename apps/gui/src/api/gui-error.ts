/**
 * Every failed request, as the GUI shows it (gui.md §3): status, title,
 * details and causes. Kuma error bodies are used as they are; a plain-text
 * body (a Kuma 0.4 server, a proxy's page) becomes the title; no answer or a
 * 502 is "API server unreachable"; a 503 is the store being down. Only a 404
 * is ever "not found".
 */
import { ApiError, InvalidResponseError, NetworkError } from "@kuma-ts/client";
import type { Cause } from "@kuma-ts/model";

/** How the GUI treats an error. */
export type GuiErrorKind =
  /** No answer, or a 502 from the GUI server's proxy: the API is not there. */
  | "unreachable"
  /** 503: the API answers, its store does not. Shown like a lost API, with retry. */
  | "unavailable"
  | "not-found"
  | "other";

/** A failed request, ready to show. */
export interface GuiError {
  readonly kind: GuiErrorKind;
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number;
  readonly title: string;
  readonly details: string;
  readonly causes: readonly Cause[];
}

/** The longest plain-text body shown as a title. */
const MAX_TITLE = 200;

const kindOf = (status: number): GuiErrorKind =>
  status === 0 || status === 502
    ? "unreachable"
    : status === 503
      ? "unavailable"
      : status === 404
        ? "not-found"
        : "other";

/** The GUI's view of anything a client call threw. */
export function toGuiError(error: unknown): GuiError {
  if (error instanceof NetworkError) {
    return {
      kind: "unreachable",
      status: 0,
      title: "API server unreachable",
      details: error.reason,
      causes: [],
    };
  }
  if (error instanceof ApiError) {
    const kind = kindOf(error.status);
    if (kind === "unreachable") {
      return {
        kind,
        status: error.status,
        title: "API server unreachable",
        details: error.isKumaError ? error.details : "Bad Gateway",
        causes: [],
      };
    }
    if (kind === "unavailable") {
      return {
        kind,
        status: 503,
        title: "The control plane's store is unavailable",
        details: error.isKumaError ? `${error.title} (${error.details})` : "Service Unavailable",
        causes: [],
      };
    }
    if (error.isKumaError) {
      return {
        kind,
        status: error.status,
        title: error.title,
        details: error.details,
        causes: error.causes,
      };
    }
    const text = error.body.trim();
    return {
      kind,
      status: error.status,
      title: text === "" ? `HTTP ${error.status}` : text.slice(0, MAX_TITLE),
      details: "",
      causes: [],
    };
  }
  if (error instanceof InvalidResponseError) {
    return {
      kind: "other",
      status: error.status,
      title: "Unexpected answer from the API",
      details: `${error.method} ${new URL(error.url).pathname}`,
      causes: error.causes,
    };
  }
  return {
    kind: "other",
    status: 0,
    title: "Something went wrong in the GUI",
    details: error instanceof Error ? error.message : String(error),
    causes: [],
  };
}

/** Whether an error means the API is gone (the page keeps its data and shows the "lost" banner). */
export const isConnectionError = (error: GuiError | undefined): boolean =>
  error?.kind === "unreachable" || error?.kind === "unavailable";
