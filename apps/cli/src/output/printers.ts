/**
 * The `-o json` and `-o yaml` printers. YAML is written the way kumactl's
 * Go printer wrote it: keys sorted at every level, list items not indented
 * under their key, strings quoted only when a YAML 1.1 reader would take
 * them for something else (`"on"`, `"1.0"`, timestamps). The yaml library is
 * loaded only when YAML is needed.
 */

/** The output formats of `-o`. */
export const OUTPUT_FORMATS = ["table", "yaml", "json"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Whether `-o` named a known format. */
export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** 2-space indented JSON with a final newline. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** YAML with sorted keys and a final newline. */
export async function renderYaml(value: unknown): Promise<string> {
  const { stringify } = await import("yaml");
  return stringify(value, { sortMapEntries: true, indentSeq: false, version: "1.1", lineWidth: 0 });
}
