/**
 * What `kumactl apply` checks before sending anything: every YAML document
 * of every input parses, names a known type, has a name (and a mesh), fits
 * its schema and passes the model's validation. Errors say where they are:
 * `<file or "stdin">: document <n> (line <l>): <message>`.
 */
import {
  INVALID_NAME_MESSAGE,
  ResourceDecodeError,
  decodeResourceBody,
  isValidName,
  resourceTypeByName,
  type AnyResourceType,
  type Cause,
  type Resource,
} from "@kuma-ts/model";
import { YAML_INPUT_OPTIONS } from "../output/yaml-input.js";

/** One input of apply: a file, a URL or stdin, with its text. */
export interface ApplySource {
  /** How errors name it: the path or URL as given, or `stdin`. */
  readonly name: string;
  readonly text: string;
}

/** A document ready to be sent. */
export interface CheckedDocument {
  readonly type: AnyResourceType;
  readonly resource: Resource;
}

/** The outcome of checking every document of every source. */
export interface CheckResult {
  readonly documents: CheckedDocument[];
  /** One line per problem, already prefixed with where it is. */
  readonly errors: string[];
}

const INVALID = "YAML contains invalid resource";

/** Replaces `{{name}}` placeholders (spaces inside the braces allowed); unknown names become empty. */
export function substituteVariables(
  text: string,
  variables: Readonly<Record<string, string>>,
): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (_, name: string) =>
    Object.hasOwn(variables, name) ? variables[name]! : "",
  );
}

/** Parses and checks every document of the sources, in order. */
export async function checkDocuments(sources: readonly ApplySource[]): Promise<CheckResult> {
  const { LineCounter, parseAllDocuments } = await import("yaml");
  const documents: CheckedDocument[] = [];
  const errors: string[] = [];
  for (const source of sources) {
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(source.text, { ...YAML_INPUT_OPTIONS, lineCounter });
    const all = Array.isArray(parsed) ? parsed : [];
    all.forEach((document, i) => {
      const start = document.contents?.range[0] ?? document.range[0];
      const where = `${source.name}: document ${i + 1} (line ${lineCounter.linePos(start).line}): `;
      if (document.errors.length > 0) {
        for (const error of document.errors)
          errors.push(`${where}${INVALID}: ${firstLine(error.message)}`);
        return;
      }
      if (document.contents === null) return; // an empty document (`---` alone) holds nothing to apply
      let value: unknown;
      try {
        value = document.toJS({ maxAliasCount: 100 });
      } catch (error) {
        errors.push(`${where}${INVALID}: ${firstLine((error as Error).message)}`);
        return;
      }
      if (value === null || value === undefined) return;
      const checked = checkDocument(value);
      if ("problems" in checked)
        errors.push(...checked.problems.map((problem) => `${where}${INVALID}: ${problem}`));
      else documents.push(checked);
    });
  }
  return { documents, errors };
}

/** The checks of one parsed document, in kumactl's order: name, mesh, type, schema, validation. */
function checkDocument(value: unknown): CheckedDocument | { problems: string[] } {
  if (typeof value !== "object" || Array.isArray(value) || value === null) {
    return { problems: ["the document must be a mapping"] };
  }
  const meta = value as Record<string, unknown>;
  if (meta.name === undefined || meta.name === null || meta.name === "")
    return { problems: ["Name field cannot be empty"] };
  if (meta.type !== "Mesh" && (meta.mesh === undefined || meta.mesh === null || meta.mesh === "")) {
    return { problems: ["Mesh field cannot be empty"] };
  }
  const type = typeof meta.type === "string" ? resourceTypeByName(meta.type) : undefined;
  if (!type) return { problems: ["invalid type of resource type"] };
  let body;
  try {
    body = decodeResourceBody(type, value, { nullAsEmptyMessage: true });
  } catch (error) {
    if (error instanceof ResourceDecodeError) return { problems: error.causes.map(describe) };
    throw error;
  }
  const resource = body as Resource;
  const causes: Cause[] = [];
  if (!isValidName(resource.name)) causes.push({ field: "name", message: INVALID_NAME_MESSAGE });
  if (resource.type !== "Mesh" && !isValidName(resource.mesh))
    causes.push({ field: "mesh", message: INVALID_NAME_MESSAGE });
  causes.push(...type.validate(type.applyDefaults(structuredClone(resource) as never) as never));
  if (causes.length > 0) return { problems: causes.map(describe) };
  return { type, resource };
}

function describe(cause: Cause): string {
  return cause.field ? `${cause.field}: ${cause.message}` : cause.message;
}

/** The first line of a parser message, without its trailing colon (the excerpt that follows is dropped). */
function firstLine(message: string): string {
  return (message.split("\n")[0] ?? "").replace(/:$/, "");
}
