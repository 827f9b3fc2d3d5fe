/**
 * The contract test of `GET /openapi.json`: every answer the server's test
 * suites receive is checked against the document (status documented for the
 * operation, media type, body against the schema, the ETag, Allow and
 * Kuma-Resume-Token headers documented where sent). The vitest setup file
 * (contract-setup.ts) feeds it every exchange with a test server and fails
 * the test that saw a mismatch, so code and document cannot drift apart.
 */
import { createMemoryStore } from "@kuma-ts/store";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { apiRoutes } from "../app.js";
import { buildOpenApiDocument } from "../openapi/document.js";
import type { JsonSchema } from "../openapi/json-schema.js";
import { testConfig } from "./api.js";

// ajv-formats is CommonJS: its default export is the plugin, under `default` again when imported from ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

/** One request and its answer, read whole. */
export interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  /** The body, or undefined when it was not read (a stream). */
  readonly text: string | undefined;
}

type Operation = {
  responses: Record<
    string,
    { content?: Record<string, { schema: JsonSchema }>; headers?: Record<string, unknown> }
  >;
};
type PathItem = Record<string, Operation>;

/** The document, its paths as patterns, and a validator per schema. */
export class OpenApiContract {
  readonly document: JsonSchema;
  private readonly ajv: Ajv2020;
  private readonly paths: { template: string; pattern: RegExp; literals: number; item: PathItem }[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(document: JsonSchema) {
    this.document = document;
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    for (const format of ["uint32", "uint64", "double"]) this.ajv.addFormat(format, true);
    this.ajv.addSchema({ ...document, $id: "openapi.json" });
    this.paths = Object.entries(document.paths as Record<string, PathItem>).map(
      ([template, item]) => {
        const segments = template.split("/").slice(1);
        const source = segments
          .map((segment) =>
            /^\{\w+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.+*?^$()[\]\\|]/g, "\\$&"),
          )
          .join("/");
        return {
          template,
          pattern: new RegExp(`^/${source}$`),
          literals: segments.filter((s) => !s.startsWith("{")).length,
          item,
        };
      },
    );
  }

  /** What is wrong with an exchange, one line each; empty when it keeps to the document. */
  check(exchange: Exchange): string[] {
    const url = new URL(exchange.url);
    const decoded = url.pathname
      .split("/")
      .map((segment) => {
        try {
          return decodeURIComponent(segment).replaceAll("/", "%2F");
        } catch {
          return segment;
        }
      })
      .join("/");
    const path = decoded.length > 1 ? decoded.replace(/\/$/, "") : decoded;
    const method = exchange.method.toUpperCase();
    const where = `${method} ${url.pathname}${url.search} → ${exchange.status}`;
    const matches = this.paths
      .filter((p) => p.pattern.test(path))
      .sort((a, b) => b.literals - a.literals);
    const match = matches[0];
    // A refused CORS preflight answers 200 without CORS headers, whatever the path (http-api.md §8).
    if (method === "OPTIONS" && exchange.status === 200) return [];
    if (!match) {
      // Unknown paths are not in the document: http-api.md §1 says they answer 404 with the error body.
      if (exchange.status !== 404)
        return [`${where}: a path the document does not know must answer 404`];
      return this.validateBody(where, exchange, { $ref: "#/components/schemas/Error" });
    }
    const operation = match.item[method.toLowerCase()];
    if (!operation) {
      if (method === "OPTIONS") {
        return [200, 204].includes(exchange.status)
          ? []
          : [`${where}: OPTIONS answers 204 (or 200 to a preflight)`];
      }
      if (exchange.status !== 405)
        return [`${where}: ${method} is not documented on ${match.template}`];
      const problems = this.validateBody(where, exchange, { $ref: "#/components/schemas/Error" });
      return exchange.headers.has("allow")
        ? problems
        : [...problems, `${where}: a 405 carries Allow`];
    }
    const response = operation.responses[String(exchange.status)];
    if (!response) {
      return [
        `${where}: status ${exchange.status} is not documented for ${method} ${match.template}`,
      ];
    }
    const problems: string[] = [];
    for (const header of ["ETag", "Allow", "Kuma-Resume-Token"]) {
      if (exchange.headers.has(header) && !response.headers?.[header]) {
        problems.push(
          `${where}: the ${header} header is not documented for ${method} ${match.template}`,
        );
      }
    }
    const content = response.content;
    const sentType = exchange.headers.get("content-type")?.split(";")[0]?.trim();
    if (!content) {
      if (method !== "HEAD" && exchange.text)
        problems.push(`${where}: a body where the document has none`);
      return problems;
    }
    if (method === "HEAD") return problems;
    const media = sentType ? content[sentType] : undefined;
    if (!media) {
      problems.push(
        `${where}: Content-Type ${sentType ?? "(none)"} is not one of ${Object.keys(content).join(", ")}`,
      );
      return problems;
    }
    if (sentType === "application/json")
      problems.push(...this.validateBody(where, exchange, media.schema));
    return problems;
  }

  private validateBody(where: string, exchange: Exchange, schema: JsonSchema): string[] {
    if (
      exchange.text === undefined ||
      exchange.headers.get("content-type")?.includes("event-stream")
    )
      return [];
    if (exchange.text === "" && exchange.method.toUpperCase() === "HEAD") return [];
    let body: unknown;
    try {
      body = JSON.parse(exchange.text);
    } catch {
      return [`${where}: the body is not JSON: ${exchange.text.slice(0, 80)}`];
    }
    const validate = this.validator(schema);
    if (validate(body)) return [];
    const errors = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || "(body)"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
    return [`${where}: the body does not match the document: ${errors.join("; ")}`];
  }

  private validator(schema: JsonSchema): ValidateFunction {
    const key = JSON.stringify(schema);
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(
        JSON.parse(key.replaceAll('"#/components/', '"openapi.json#/components/')) as JsonSchema,
      );
      this.validators.set(key, validate);
    }
    return validate;
  }
}

let contract: OpenApiContract | undefined;

/** The contract of the document the server serves (the same for every configuration). */
export function openApiContract(): OpenApiContract {
  contract ??= new OpenApiContract(
    buildOpenApiDocument(apiRoutes(testConfig(), createMemoryStore()), { version: "0.0.0" })
      .document,
  );
  return contract;
}
