/**
 * The API's TLS material (auth.md §11): read from the files of
 * `apiServer.https` at start-up, and read again whenever one of them
 * changes, so that a renewed certificate is served without a restart. A
 * changed set that does not make a valid context (a certificate written
 * before its key, a truncated file) is logged and the previous one stays in
 * service until the files are consistent again.
 */
import { readFileSync, unwatchFile, watchFile, type Stats } from "node:fs";
import type https from "node:https";
import { createSecureContext, type SecureContextOptions } from "node:tls";
import type { Logger } from "pino";
import type { ServerConfig } from "@kuma-ts/model";

type HttpsConfig = ServerConfig["apiServer"]["https"];

/** How often the files are checked for a change (they are polled: a watch misses a symlink swapped under it). */
export const TLS_FILES_POLL_MS = 2000;

/** The certificate, key and CA of the settings, read now. */
function readSecureContext(config: HttpsConfig): SecureContextOptions {
  const ca = config.tlsCaFile === "" ? undefined : readFileSync(config.tlsCaFile);
  return {
    cert: readFileSync(config.tlsCertFile),
    key: readFileSync(config.tlsKeyFile),
    ...(ca ? { ca } : {}),
    minVersion: config.tlsMinVersion === "TLSv1_3" ? "TLSv1.3" : "TLSv1.2",
  };
}

/**
 * The TLS settings of `apiServer.https`. Client certificates are asked for
 * when a CA is set and required with `requireClientCert`; they only admit
 * a connection and never make anyone admin.
 */
export function tlsOptions(config: HttpsConfig): https.ServerOptions {
  const context = readSecureContext(config);
  return {
    ...context,
    requestCert: context.ca !== undefined,
    rejectUnauthorized: config.requireClientCert,
  };
}

/** Serves the files' new content on `server` whenever one of them changes; returns how to stop watching. */
export function reloadTlsOnChange(
  server: https.Server,
  config: HttpsConfig,
  logger: Logger,
  pollMs = TLS_FILES_POLL_MS,
): () => void {
  const files = [config.tlsCertFile, config.tlsKeyFile, config.tlsCaFile].filter(
    (file) => file !== "",
  );
  const reload = (current: Stats, previous: Stats): void => {
    if (
      current.mtimeMs === previous.mtimeMs &&
      current.size === previous.size &&
      current.ino === previous.ino
    )
      return;
    try {
      const context = readSecureContext(config);
      createSecureContext(context); // throws for a key that does not match its certificate
      server.setSecureContext(context);
      logger.info({ files }, "reloaded the API's TLS certificate");
    } catch (error) {
      logger.warn(
        { files, err: error },
        "could not reload the API's TLS certificate: the previous one is still served",
      );
    }
  };
  for (const file of files) watchFile(file, { interval: pollMs, persistent: false }, reload);
  return () => {
    for (const file of files) unwatchFile(file, reload);
  };
}
