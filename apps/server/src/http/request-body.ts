/**
 * Reading a request body with a bound (http-api.md §2): a declared length
 * over the limit is refused before a byte is read, and a streamed body is
 * refused as soon as it passes the limit, without buffering the rest. The
 * connection is never dropped: whatever the client still sends is read and
 * discarded by Node after the answer (bounded by `apiServer.requestTimeout`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, Title } from "./api-error.js";

/** The client went away before its body was complete; there is nobody to answer. */
export class RequestAbortedError extends Error {
  override readonly name = "RequestAbortedError";
}

const tooLarge = (): ApiError => new ApiError(413, Title.process, "Request Entity Too Large");

/** Whether a Content-Type header names JSON (`application/json`, parameters allowed). */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false;
  const semicolon = header.indexOf(";");
  const mediaType = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === "application/json";
}

/** Refuses a body whose declared length is over the limit, before reading anything. */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const declared = req.headers["content-length"];
  if (declared !== undefined && Number(declared) > limit) throw tooLarge();
}

/** Reads the whole body as UTF-8 text, refusing it (413) as soon as it passes `limit` bytes. */
export function readBodyText(req: IncomingMessage, res: ServerResponse, limit: number): Promise<string> {
  checkDeclaredLength(req, limit);
  // A client that sent `Expect: 100-continue` waits for this before sending the body
  // (the server answers early refusals without it: see the `checkContinue` listener).
  if (/\b100-continue\b/i.test(req.headers.expect ?? "") && !res.headersSent) res.writeContinue();
  return new Promise((resolve, reject) => {
    if (req.destroyed) {
      reject(new RequestAbortedError("the client closed the connection before the body was read"));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        chunks.length = 0;
        req.resume(); // keep reading, discarding, so that the connection survives
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size).toString("utf8"));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(new RequestAbortedError(error.message));
    };
    const onClose = (): void => {
      if (req.complete) return;
      cleanup();
      reject(new RequestAbortedError("the client closed the connection before the end of the body"));
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}
