/**
 * Kuma 0.4's GUI used hash routes (`#/default/dataplanes`); bookmarks of
 * them still land on the right page (gui.md §2).
 */

/** The route of a 0.4-era hash, or undefined when the hash is not one. */
export function routeOfLegacyHash(hash: string): string | undefined {
  if (!hash.startsWith("#/")) return undefined;
  const segments = hash.slice(2).split("?")[0]!.split("/").filter(Boolean);
  if (segments.length === 0 || (segments.length === 1 && segments[0] === "overview")) return "/";
  const [mesh, page, name] = segments;
  if (!page || page === "overview") return `/meshes/${mesh}`;
  return `/meshes/${[mesh, page, name].filter(Boolean).join("/")}`;
}
