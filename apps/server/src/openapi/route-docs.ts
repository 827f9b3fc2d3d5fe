/**
 * What a route tells the OpenAPI document about itself (`GET /openapi.json`).
 * Each entry of the route table carries a `docs` record next to its
 * handlers: one `OperationDocs` per method. Path parameters come from the
 * template; request and response bodies are the model's TypeBox schemas,
 * converted by the document builder (never a hand-written JSON Schema).
 */
import type { TSchema } from "@sinclair/typebox";

/** A TypeBox schema published under `#/components/schemas/<name>`. */
export interface NamedSchema {
  readonly name: string;
  readonly schema: TSchema;
  /** `input`: the forms a request body may use (numbers as strings, Go-style durations...); `output` (default): what the server writes. */
  readonly mode?: SchemaMode;
}

/** Which side of the proto-JSON rules a schema describes. */
export type SchemaMode = "input" | "output";

/** A body: a named schema (a `$ref`), or an inline TypeBox schema. */
export type BodySchema = NamedSchema | TSchema;

/** The response headers the document knows (defined once under `#/components/headers`). */
export type ResponseHeaderName =
  "ETag" | "Allow" | "Kuma-Resume-Token" | "Location" | "Cache-Control";

/** The request headers the document knows (defined once under `#/components/parameters`). */
export type RequestHeaderName =
  "If-Match" | "If-None-Match" | "If-None-Match-Create" | "Last-Event-ID";

/** A query parameter. */
export interface QueryParameterDocs {
  readonly name: string;
  readonly description: string;
  readonly schema: TSchema;
  /** Repeatable (`tag=a:b&tag=c:d`). */
  readonly repeated?: boolean;
}

/** One response of an operation. */
export interface ResponseDocs {
  readonly description: string;
  /** The JSON body (`application/json`), absent for 304 and the like. */
  readonly body?: BodySchema;
  /** Another media type than JSON, e.g. `text/event-stream` or `text/plain`. */
  readonly mediaType?: string;
  readonly headers?: readonly ResponseHeaderName[];
  /** Other media types the same status may answer (`text/event-stream` of a watch), each with its body or a plain string. */
  readonly alsoContent?: readonly { readonly mediaType: string; readonly body?: BodySchema }[];
}

/** One method of a route. */
export interface OperationDocs {
  /** Unique across the API, camelCase: `getDataplane`. */
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  /** Groups operations in the document (`Meshes`, `Dataplanes`, `Inspection`...). */
  readonly tag: string;
  /** Descriptions of the template's path parameters; a parameter without one gets a generic text. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  readonly query?: readonly QueryParameterDocs[];
  readonly headers?: readonly RequestHeaderName[];
  readonly requestBody?: {
    readonly body: BodySchema;
    readonly description: string;
    readonly mediaType?: string;
  };
  /**
   * The answers by status code. Errors list their status with `errorResponse(...)`;
   * 406, 500 and 503 (any operation) are added by the builder.
   */
  readonly responses: Readonly<Record<number, ResponseDocs>>;
}

/** The docs of one route: one entry per method of its `handlers`. */
export type RouteDocs = Readonly<Partial<Record<string, OperationDocs>>>;
