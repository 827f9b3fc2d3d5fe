/** Servers for the tests of the client and kumactl: the real control plane, and a scripted stand-in. */
export { startControlPlane } from "./control-plane.js";
export type { TestControlPlane } from "./control-plane.js";
export { startScriptedServer } from "./scripted-server.js";
export type { RecordedRequest, ScriptedAnswer, ScriptedServer } from "./scripted-server.js";
export { unusedUrl } from "./scripted-server.js";
export { startCuttingProxy } from "./cutting-proxy.js";
export type { CuttingProxy } from "./cutting-proxy.js";
