/** Helpers of the authentication tests: raw requests with any headers, and tokens forged from the store's keys. */
import http from "node:http";
import { createPrivateKey, createPublicKey, type KeyObject } from "node:crypto";
import type { ResourceStore } from "@kuma-ts/store";
import type { Answer } from "./api.js";

/** A request as a client outside the machine would send it through a proxy: never the local admin. */
export const REMOTE = { "X-Forwarded-For": "203.0.113.7" } as const;

/** Bearer authorization of a remote client. */
export const bearer = (token: string): Record<string, string> => ({ ...REMOTE, Authorization: `Bearer ${token}` });

/** A request with exactly the given headers (`Host` included), which fetch cannot send. */
export function rawRequest(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<Answer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: hostname, port: Number(port), method, path, headers, setHost: !("Host" in headers) }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => {
        let json: unknown;
        try {
          json = text === "" ? undefined : JSON.parse(text);
        } catch {
          json = undefined;
        }
        const responseHeaders = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === "string") responseHeaders.set(name, value);
        }
        resolve({ status: res.statusCode ?? 0, headers: responseHeaders, text, json });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The private key of a signing key in the store (what an insider with store access has). */
export async function storedSigningKey(store: ResourceStore, serial = 1): Promise<{ privateKey: KeyObject; publicKey: KeyObject }> {
  const secret = await store.globalSecrets.get(`user-token-signing-key-${serial}`);
  if (!secret) throw new Error(`no signing key ${serial}`);
  const privateKey = createPrivateKey(Buffer.from(secret.data, "base64").toString("utf8"));
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** base64url of JSON. */
export const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Polls `check` until it returns true; returns the milliseconds it took (throws after `timeoutMs`). */
export async function within(timeoutMs: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
