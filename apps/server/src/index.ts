/**
 * @kuma-ts/server — kuma-cp, the Kuma 0.4 control plane HTTP API.
 *
 * @example
 * import { startServer } from "@kuma-ts/server";
 * import { loadServerConfig } from "@kuma-ts/model";
 * const server = await startServer({ config: loadServerConfig({ env: process.env }) });
 * console.log(server.apiUrl); // curl it: the index answers
 * await server.close();
 */
export { createApp } from "./app.js";
export type { AppOptions } from "./app.js";
export { startServer } from "./server/start-server.js";
export type { RunningServer, StartServerOptions } from "./server/start-server.js";
export { createGuiServer } from "./gui-server/gui-server.js";
export type { GuiServerOptions } from "./gui-server/gui-server.js";
export { embeddedGuiDir } from "./embedded-gui.js";
export { runCli } from "./cli/run-cli.js";
export type { CliDependencies } from "./cli/run-cli.js";
