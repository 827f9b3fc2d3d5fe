/**
 * The configuration file on disk: created with the default content on first
 * use (when no `--config-file` is given), mode 0600.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { CliError } from "../errors.js";
import { renderYaml } from "../output/printers.js";
import { YAML_INPUT_OPTIONS } from "../output/yaml-input.js";
import {
  configFromDocument,
  defaultConfig,
  documentFromConfig,
  type KumactlConfig,
} from "./config.js";

/** Which file, and whether the user named it (`--config-file`). */
export interface ConfigLocation {
  readonly path: string;
  readonly explicit: boolean;
}

/**
 * Reads the configuration; a missing default file is the default
 * configuration, written first unless `createMissing` is false (shell
 * completion reads it without side effects).
 */
export async function loadConfig(
  location: ConfigLocation,
  { createMissing = true }: { readonly createMissing?: boolean } = {},
): Promise<KumactlConfig> {
  let text: string;
  try {
    text = await readFile(location.path, "utf8");
  } catch (error) {
    if (!location.explicit && (error as NodeJS.ErrnoException).code === "ENOENT") {
      const config = defaultConfig();
      if (createMissing) await saveConfig(location.path, config);
      return config;
    }
    throw new CliError(`Failed to access configuration file "${location.path}"`);
  }
  const { parse } = await import("yaml");
  let document: unknown;
  try {
    document = parse(text, YAML_INPUT_OPTIONS);
  } catch (error) {
    const reason = ((error as Error).message.split("\n")[0] ?? "").replace(/:$/, "");
    throw new CliError(`failed to parse configuration file "${location.path}": ${reason}`);
  }
  return configFromDocument(document);
}

/** Writes the configuration (the folder is created when missing; a new file gets mode 0600). */
export async function saveConfig(file: string, config: KumactlConfig): Promise<void> {
  const text = await renderConfig(config);
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
    await writeFile(file, text, { mode: 0o600 });
  } catch (error) {
    throw new CliError(`could not write configuration file "${file}": ${(error as Error).message}`);
  }
}

/** The file's text: camelCase keys, sorted. */
export function renderConfig(config: KumactlConfig): Promise<string> {
  return renderYaml(documentFromConfig(config));
}
