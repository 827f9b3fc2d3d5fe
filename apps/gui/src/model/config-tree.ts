/** The control plane's `/config` as leaves with their dotted paths, for the searchable tree. */

export interface ConfigLeaf {
  readonly path: string;
  readonly value: string;
}

/** Every leaf of a JSON value, depth first, with its path (`apiServer.readOnly`, `apiServer.corsAllowedDomains[0]`). */
export function configLeaves(value: unknown, path = ""): ConfigLeaf[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return [{ path, value: "[]" }];
    return value.flatMap((item, i) => configLeaves(item, `${path}[${i}]`));
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return [{ path, value: "{}" }];
    return entries.flatMap(([key, item]) =>
      configLeaves(item, path === "" ? key : `${path}.${key}`),
    );
  }
  return [{ path, value: JSON.stringify(value) }];
}

/** The leaves whose path or value contains `query` (case-insensitive). */
export function searchConfig(leaves: readonly ConfigLeaf[], query: string): ConfigLeaf[] {
  const wanted = query.trim().toLowerCase();
  if (wanted === "") return [...leaves];
  return leaves.filter(
    (leaf) => leaf.path.toLowerCase().includes(wanted) || leaf.value.toLowerCase().includes(wanted),
  );
}
