/**
 * How kumactl reads YAML (apply input, the configuration file): YAML 1.1
 * like Go's yaml.v2 (`yes`/`on` are booleans), except that timestamps and
 * base-60 numbers stay strings, as yaml.v2 keeps them for untyped values.
 */
import type { ParseOptions, DocumentOptions, SchemaOptions } from "yaml";

type Tags = Exclude<SchemaOptions["customTags"], undefined>;

/** Options for `parse` and `parseAllDocuments`. */
export const YAML_INPUT_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  customTags: (tags) =>
    (tags as Extract<Tags, unknown[]>).filter(
      (tag) =>
        typeof tag === "string" ||
        (tag.tag !== "tag:yaml.org,2002:timestamp" &&
          (tag as { format?: string }).format !== "TIME"),
    ),
};
