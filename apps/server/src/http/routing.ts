/**
 * The route table: @koa/router dispatches, and the same table answers what
 * the router does not — the methods of a path (405 `Allow`, OPTIONS, CORS
 * preflights) and the known path an unknown one is probably a typo of.
 */
import Router from "@koa/router";
import type { Middleware } from "koa";
import type { RouteDocs } from "../openapi/route-docs.js";
import type { ApiContext, ApiState, Handler } from "./context.js";

/** The methods a route may have; HEAD comes with GET. */
export type RouteMethod = "GET" | "POST" | "PUT" | "DELETE";

/**
 * One path of the API with its handlers.
 *
 * Adding a route: give it `docs` too — one `OperationDocs` per method of
 * `handlers` (summary, query parameters, request body, responses by status,
 * with the model's TypeBox schemas; see openapi/route-docs.ts and the routes
 * of routes/*.ts for examples). `GET /openapi.json` is built from this table:
 * a method without docs is left out of the document (the server still
 * starts) and fails openapi.test.ts, which names it. Every answer the
 * server's tests receive is checked against the document
 * (test-support/contract-setup.ts), so an undocumented status or body shape
 * fails the test that saw it. Then regenerate the client's generated types:
 * `UPDATE_OPENAPI_TYPES=1 pnpm exec vitest run openapi-types` in packages/client.
 */
export interface RouteDefinition {
  /** The documented template, also the `route` label of logs and metrics: `/meshes/{mesh}/dataplanes/{name}`. */
  readonly template: string;
  readonly handlers: Partial<Record<RouteMethod, Handler>>;
  /** The OpenAPI description of each method (HEAD and OPTIONS are derived). */
  readonly docs?: RouteDocs;
}

/** The routes compiled for dispatch and introspection. */
export interface Routing {
  readonly router: Router<ApiState, ApiContext>;
  /** The methods of the path in canonical order (`GET, HEAD, POST, PUT, DELETE`); empty for an unknown path. */
  methodsOf(path: string): string[];
  /** A known path one typo away from `path`, or undefined. */
  suggest(path: string): string | undefined;
}

const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "DELETE"] as const;

/** A route of the table, compiled. */
interface CompiledRoute {
  readonly template: string;
  readonly handlers: Readonly<Record<string, Handler | undefined>>;
  /** The route's methods in canonical order. */
  readonly methods: readonly string[];
}

/**
 * Routes whose templates have the same shape: as many segments, parameters
 * at the same places with the same names. They share one router layer, whose
 * pattern has a parameter for every segment (`/:_0/:mesh/:_2/:name`), and
 * the route is then found by its literal segments in one map lookup.
 */
interface ShapeGroup {
  /** The layer's path (path-to-regexp syntax). */
  readonly path: string;
  /** Indexes of the literal segments. */
  readonly literals: readonly number[];
  /** The literal segments joined by `/` → the route. */
  readonly routes: Map<string, CompiledRoute>;
}

/** A template's segments: `{name}` is a parameter, anything else a literal. */
const segmentsOf = (template: string): string[] => (template === "/" ? [] : template.split("/").slice(1));
const isParameter = (segment: string): boolean => segment.startsWith("{") && segment.endsWith("}");

/** The literal segments of `segments` at `literals`, as the key of a group's map. */
function literalKey(segments: readonly string[], literals: readonly number[]): string {
  if (literals.length === 1) return segments[literals[0]!]!;
  let key = "";
  for (let i = 0; i < literals.length; i++) key += (i === 0 ? "" : "/") + segments[literals[i]!]!;
  return key;
}

/**
 * Builds the router (case-sensitive, trailing slash ignored) and its introspection.
 *
 * The router tests every layer's pattern on every request and composes the
 * matched layers into a chain, so the table is laid out as one layer per
 * template shape (a handful for the API's dozens of templates) instead of one per
 * template; the shape's handler then picks the route by its literal segments.
 */
export function createRouting(routes: readonly RouteDefinition[]): Routing {
  const router = new Router<ApiState, ApiContext>({ sensitive: true, strict: false });
  const groups = new Map<string, ShapeGroup>();
  for (const route of routes) {
    const segments = segmentsOf(route.template);
    const literals: number[] = [];
    const path =
      "/" +
      segments
        .map((segment, i) => {
          if (isParameter(segment)) return `:${segment.slice(1, -1)}`;
          literals.push(i);
          return `:_${i}`;
        })
        .join("/");
    let group = groups.get(path);
    if (!group) {
      group = { path, literals, routes: new Map() };
      groups.set(path, group);
    }
    const key = literalKey(segments, literals);
    if (group.routes.has(key)) throw new Error(`duplicate route ${route.template}`);
    const defined = (Object.keys(route.handlers) as RouteMethod[]).filter((method) => route.handlers[method]);
    group.routes.set(key, {
      template: route.template,
      handlers: { ...route.handlers, HEAD: route.handlers.GET },
      methods: METHOD_ORDER.filter((method) => defined.includes(method === "HEAD" ? "GET" : method)),
    });
  }
  for (const group of groups.values()) {
    const methods = new Set<string>();
    for (const route of group.routes.values()) for (const method of route.methods) methods.add(method);
    router.register(group.path, [...methods], shapeHandler(group));
  }
  const templates = routes.map((route) => route.template.split("/").slice(1));
  /** The route of a request path, as the router would pick it; undefined for an unknown path. */
  const routeOf = (path: string): CompiledRoute | undefined => {
    for (const layer of router.match(path, "GET").path) {
      const group = typeof layer.path === "string" ? groups.get(layer.path) : undefined;
      const route = group && group.routes.get(literalKey(layer.captures(path), group.literals));
      if (route) return route;
    }
    return undefined;
  };
  return {
    router,
    methodsOf: (path) => [...(routeOf(path)?.methods ?? [])],
    suggest(path) {
      const segments = path.replace(/\/$/, "").split("/").slice(1);
      let best: { path: string; distance: number } | undefined;
      for (const template of templates) {
        const candidate = oneTypoAway(segments, template);
        if (candidate && (!best || candidate.distance < best.distance)) {
          best = { path: `/${candidate.segments.join("/")}`, distance: candidate.distance };
        }
      }
      return best?.path;
    },
  };
}

/**
 * The handler of a shape's layer: the route named by the literal segments
 * (raw, as the request wrote them: the router's captures) and its handler
 * for the method; on to the next middleware (404, 405) when there is none.
 */
function shapeHandler(group: ShapeGroup): Middleware<ApiState, ApiContext> {
  const { literals, routes } = group;
  return (ctx, next) => {
    const route = routes.get(literalKey(ctx.captures ?? [], literals));
    const handler = route?.handlers[ctx.method];
    if (!handler) return next();
    // The `route` label of logs and metrics.
    ctx._matchedRouteName = route!.template;
    return handler(ctx);
  };
}

/** The segments with the one literal segment that is a near miss corrected, or undefined. */
function oneTypoAway(
  segments: readonly string[],
  template: readonly string[],
): { segments: string[]; distance: number } | undefined {
  if (segments.length !== template.length) return undefined;
  let corrected: { segments: string[]; distance: number } | undefined;
  for (let i = 0; i < template.length; i++) {
    const expected = template[i]!;
    const actual = segments[i]!;
    if (expected.startsWith("{")) {
      if (actual === "") return undefined;
      continue;
    }
    if (actual === expected) continue;
    const distance = editDistance(actual, expected);
    if (expected === "" || corrected || distance > maxTypos(expected)) return undefined;
    corrected = { segments: [...segments], distance };
    corrected.segments[i] = expected;
  }
  return corrected;
}

/** One edit for short words; two for longer ones (`mesh` for `meshes` is still the same word). */
const maxTypos = (word: string): number => (word.length >= 6 ? 2 : 1);

/**
 * Optimal string alignment distance: insertions, deletions and adjacent
 * transpositions cost 1, substitutions 1.5 — a letter left out is a likelier
 * typo than a wrong one, so `dataplane+insights` means `dataplanes+insights`
 * rather than `dataplane-insights`.
 */
export function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return Math.abs(a.length - b.length);
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1.5;
      let best = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}
