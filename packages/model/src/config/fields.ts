/**
 * Builders for the fields of the server configuration. Each leaf carries its
 * default, its kind (how YAML and environment values are read) and whether
 * it holds a secret, so that loading, the environment variable names and the
 * redaction of `/config` are all derived from the one schema.
 */
import {
  Type,
  type TArray,
  type TBoolean,
  type TInteger,
  type TObject,
  type TProperties,
  type TString,
  type TUnion,
  type TLiteral,
  type TSchema,
} from "@sinclair/typebox";

/** How a secret is shown in `/config`: the whole value, or the password inside a URL. */
export type SecretKind = "value" | "url-password";

/** How a configuration leaf is read from YAML and the environment. */
export type ConfigLeafKind = "string" | "integer" | "boolean" | "duration" | "list" | "enum" | "json";

interface LeafOptions {
  /** One line for the documentation of the key. */
  description?: string;
  /** Marks a secret; `/config` never shows it. */
  secret?: SecretKind;
  /** The environment variable, when it is not the one derived from the key (Kuma's name). */
  env?: string;
  /** The setting can only be given in the YAML file. */
  yamlOnly?: boolean;
}

const leaf = (kind: ConfigLeafKind, options: LeafOptions) => ({ configKind: kind, ...options });

/** A string setting. */
export const StringSetting = (defaultValue: string, options: LeafOptions = {}): TString =>
  Type.String({ default: defaultValue, ...leaf("string", options) });

/** An integer setting within [minimum, maximum]. */
export const IntegerSetting = (
  defaultValue: number,
  range: { minimum: number; maximum: number },
  options: LeafOptions = {},
): TInteger => Type.Integer({ default: defaultValue, ...range, ...leaf("integer", options) });

/** A TCP port (0 lets the system choose one). */
export const PortSetting = (defaultValue: number, options: LeafOptions = {}): TInteger =>
  IntegerSetting(defaultValue, { minimum: 0, maximum: 65535 }, options);

/** A boolean setting: `true/false/1/0` in the environment. */
export const BooleanSetting = (defaultValue: boolean, options: LeafOptions = {}): TBoolean =>
  Type.Boolean({ default: defaultValue, ...leaf("boolean", options) });

/** A Go-style duration (`"5s"`, `"250ms"`), kept normalised as Go prints it; positive unless `allowZero`. */
export const DurationSetting = (
  defaultValue: string,
  options: LeafOptions & { allowZero?: boolean } = {},
): TString => Type.String({ default: defaultValue, ...leaf("duration", options) });

/**
 * A structured value (a list of objects): a YAML value in the file, JSON text
 * in the environment, checked against `schema` when loaded.
 */
export const JsonSetting = <T extends TSchema>(schema: T, defaultValue: unknown, options: LeafOptions = {}): T =>
  Type.Unsafe({ default: defaultValue, ...leaf("json", options), valueSchema: schema }) as unknown as T;

/** A list of strings: a YAML sequence, or comma-separated in the environment. */
export const ListSetting = (defaultValue: string[], options: LeafOptions = {}): TArray<TString> =>
  Type.Array(Type.String(), { default: defaultValue, ...leaf("list", options) });

/** One of a fixed set of strings. */
export const EnumSetting = <V extends string>(
  values: readonly [V, ...V[]],
  defaultValue: V,
  options: LeafOptions = {},
): TUnion<TLiteral<V>[]> =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { default: defaultValue, ...leaf("enum", options), enum: values },
  );

/** A section of settings. */
export const Section = <P extends TProperties>(properties: P, description?: string): TObject<P> =>
  Type.Object(properties, { additionalProperties: false, ...(description ? { description } : {}) });
