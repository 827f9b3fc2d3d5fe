/**
 * What `kumactl version` prints. The bundle script injects the git commit,
 * tag and build date; running from source they are "unknown".
 */
import packageJson from "../package.json" with { type: "json" };

/** The version and build of this kumactl. */
export interface BuildInfo {
  readonly version: string;
  readonly gitTag: string;
  readonly gitCommit: string;
  readonly buildDate: string;
}

// Replaced by esbuild's `define` in the bundle (scripts/bundle.mjs).
declare const __KUMACTL_BUILD_INFO__: Omit<BuildInfo, "version"> | undefined;

/** The build information of this copy of kumactl. */
export const buildInfo: BuildInfo = {
  version: packageJson.version,
  ...(typeof __KUMACTL_BUILD_INFO__ === "object"
    ? __KUMACTL_BUILD_INFO__
    : { gitTag: "unknown", gitCommit: "unknown", buildDate: "unknown" }),
};
