/**
 * The route table: @koa/router dispatches, and the same table answers what
 * the router does not — the methods of a path (405 `Allow`, OPTIONS, CORS
 * preflights) and the known path an unknown one is probably a typo of.
 */
import Router from "@koa/router";
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
 * starts) and fails openapi.test.ts, which names it.
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

/** `/meshes/{mesh}/dataplanes+insights` → `/meshes/:mesh/dataplanes\+insights` (path-to-regexp syntax). */
function toRouterPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ":$1").replace(/[+()[\]?!*]/g, "\\$&");
}

/** Builds the router (case-sensitive, trailing slash ignored) and its introspection. */
export function createRouting(routes: readonly RouteDefinition[]): Routing {
  const router = new Router<ApiState, ApiContext>({ sensitive: true, strict: false });
  for (const route of routes) {
    // One layer per path (not per method): the router tests every layer's pattern on every request.
    const methods = (Object.keys(route.handlers) as RouteMethod[]).filter((method) => route.handlers[method]);
    const handlers: Record<string, Handler | undefined> = { ...route.handlers, HEAD: route.handlers.GET };
    const dispatch: Handler = (ctx) => handlers[ctx.method]!(ctx);
    router.register(toRouterPath(route.template), methods, dispatch, { name: route.template });
  }
  const templates = routes.map((route) => route.template.split("/").slice(1));
  return {
    router,
    methodsOf(path) {
      const methods = new Set<string>();
      for (const layer of router.match(path, "GET").path) for (const method of layer.methods) methods.add(method);
      return METHOD_ORDER.filter((method) => methods.has(method));
    },
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
