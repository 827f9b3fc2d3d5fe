/** The mesh the sidebar shows: the one in the URL, else the last one chosen, else `default`, else the first. */
import type { RouteLocationNormalizedLoaded } from "vue-router";

const KEY = "kuma-gui.mesh";

export function currentMesh(
  route: RouteLocationNormalizedLoaded,
  names: readonly string[],
): string {
  const fromRoute = route.params.mesh;
  if (typeof fromRoute === "string" && fromRoute !== "") return fromRoute;
  const remembered = localStorage.getItem(KEY);
  if (remembered && names.includes(remembered)) return remembered;
  if (names.includes("default")) return "default";
  return names[0] ?? "";
}

export function rememberMesh(mesh: string): void {
  localStorage.setItem(KEY, mesh);
}
