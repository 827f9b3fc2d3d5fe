/**
 * The sources the pages read, one builder per API call, each keyed by the
 * URL it reads (two views of one URL share a source and its request). Every
 * call goes through `@kuma-ts/client`.
 */
import type { IndexInfo, KumaClient, ListArgs, Page } from "@kuma-ts/client";
import {
  DataplaneType,
  MeshType,
  type DataplaneInspection,
  type DataplaneOverview,
  type Mesh,
  type PolicyDataplanesItem,
  type PolicyType,
  type ResourceOf,
  type ResourceType,
} from "@kuma-ts/model";
import type { DataplaneStatusKind } from "../model/dataplane-status.js";
import { tagParams } from "../model/tag-filter.js";
import { countTally, statusesOf, tallyOf } from "../data/dataplane-tally.js";
import type { Fetcher } from "../data/source.js";

/** A source to read: its key (the URL) and how to read it. */
export interface SourceSpec<T> {
  readonly key: string;
  readonly fetch: Fetcher<T>;
}

/** Paging of a list as the URL holds it. */
export interface Paging {
  readonly size: number;
  readonly offset: string | undefined;
}

const enc = encodeURIComponent;
const query = (params: [string, string | number | undefined][]): string => {
  const search = new URLSearchParams();
  for (const [key, value] of params) if (value !== undefined) search.append(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : "";
};

/** A page, read again whole (lists have no ETag: the source compares body hashes). */
const pageResult = <T>(page: Page<T>) => ({
  changed: true as const,
  data: page,
  resumeToken: page.resumeToken,
});

export const indexSource = (client: KumaClient): SourceSpec<IndexInfo> => ({
  key: "/",
  fetch: async () => ({ changed: true, data: await client.index() }),
});

export const apiConfigSource = (client: KumaClient): SourceSpec<Record<string, unknown>> => ({
  key: "/config",
  fetch: async () => ({ changed: true, data: await client.config() }),
});

export const meshesSource = (client: KumaClient, paging: Paging): SourceSpec<Page<Mesh>> => ({
  key: `/meshes${query([
    ["size", paging.size],
    ["offset", paging.offset],
  ])}`,
  fetch: async () => pageResult(await client.resources(MeshType).list(paging)),
});

/** One resource, read conditionally with its ETag. */
export function resourceSource<T extends ResourceType>(
  client: KumaClient,
  type: T,
  key: { mesh?: string; name: string },
): SourceSpec<ResourceOf<T>> {
  const path =
    type.scope === "global"
      ? `/${type.path}/${enc(key.name)}`
      : `/meshes/${enc(key.mesh!)}/${type.path}/${enc(key.name)}`;
  return {
    key: path,
    fetch: async (etag) => {
      const found = await client.resources(type).getIfChanged(key as never, etag);
      return found === undefined
        ? { changed: false }
        : { changed: true, data: found.resource, etag: found.version };
    },
  };
}

export const meshSource = (client: KumaClient, mesh: string) =>
  resourceSource(client, MeshType, { name: mesh });

/** One page of a mesh's resources of one type. */
export function resourceListSource<T extends ResourceType>(
  client: KumaClient,
  type: T,
  mesh: string,
  paging: Paging,
): SourceSpec<Page<ResourceOf<T>>> {
  return {
    key: `/meshes/${enc(mesh)}/${type.path}${query([
      ["size", paging.size],
      ["offset", paging.offset],
    ])}`,
    fetch: async () =>
      pageResult(
        (await client
          .resources(type)
          .list(...([{ mesh, ...paging }] as unknown as ListArgs<T>))) as Page<ResourceOf<T>>,
      ),
  };
}

/** How many resources of a type a mesh has: `size=1`, then `total` (never a whole list to count it). */
export function countSource(
  client: KumaClient,
  type: ResourceType,
  mesh: string,
): SourceSpec<number> {
  return {
    key: `/meshes/${enc(mesh)}/${type.path}?size=1`,
    fetch: async () => {
      const page = await client
        .resources(type)
        .list(...([{ mesh, size: 1 }] as unknown as ListArgs<ResourceType>));
      return { changed: true, data: page.total, resumeToken: page.resumeToken };
    },
  };
}

export const dataplaneCountSource = (client: KumaClient, mesh: string) =>
  countSource(client, DataplaneType, mesh);

export function overviewsSource(
  client: KumaClient,
  mesh: string,
  tags: Readonly<Record<string, string>>,
  paging: Paging,
): SourceSpec<Page<DataplaneOverview>> {
  const params: [string, string | number | undefined][] = tagParams(tags).map((tag) => [
    "tag",
    tag,
  ]);
  params.push(["size", paging.size], ["offset", paging.offset]);
  return {
    key: `/meshes/${enc(mesh)}/dataplanes+insights${query(params)}`,
    fetch: async () => pageResult(await client.dataplaneOverviews({ mesh, tags, ...paging })),
  };
}

export function overviewSource(
  client: KumaClient,
  mesh: string,
  name: string,
): SourceSpec<DataplaneOverview> {
  return {
    key: `/meshes/${enc(mesh)}/dataplanes+insights/${enc(name)}`,
    fetch: async (etag) => {
      const found = await client.dataplaneOverviewIfChanged({ mesh, name }, etag);
      return found === undefined
        ? { changed: false }
        : { changed: true, data: found.resource, etag: found.version };
    },
  };
}

export function inspectionSource(
  client: KumaClient,
  mesh: string,
  name: string,
  explain: boolean,
): SourceSpec<DataplaneInspection> {
  return {
    key: `/meshes/${enc(mesh)}/dataplanes/${enc(name)}/policies${explain ? "?explain=true" : ""}`,
    fetch: async () => ({
      changed: true,
      data: await client.inspectDataplane({ mesh, name, explain }),
    }),
  };
}

export function policyDataplanesSource(
  client: KumaClient,
  type: PolicyType,
  mesh: string,
  name: string,
  paging: Paging,
): SourceSpec<Page<PolicyDataplanesItem>> {
  return {
    key: `/meshes/${enc(mesh)}/${type.path}/${enc(name)}/dataplanes${query([
      ["size", paging.size],
      ["offset", paging.offset],
    ])}`,
    fetch: async () => pageResult(await client.policyDataplanes({ type, mesh, name, ...paging })),
  };
}

/** The dataplanes of a mesh by status, or only their total when there are too many to read. */
export interface DataplaneCounts {
  readonly total: number;
  /** Undefined when the mesh has more dataplanes than the GUI reads to count them. */
  readonly byStatus: Readonly<Record<DataplaneStatusKind, number>> | undefined;
  /** How many requests it took (one per page of 1,000). */
  readonly pages: number;
  /** The status of each dataplane, by name (to follow the change feed from); undefined with `byStatus`. */
  readonly statuses: Readonly<Record<string, DataplaneStatusKind>> | undefined;
}

/** Pages of 1,000 overviews read to count a mesh's dataplanes by status. */
export const STATUS_PAGE_SIZE = 1000;
/** Above 5 pages (5,000 dataplanes) only the total is shown. */
export const MAX_STATUS_PAGES = 5;

export function dataplaneCountsSource(
  client: KumaClient,
  mesh: string,
  now: () => number,
): SourceSpec<DataplaneCounts> {
  return {
    key: `/meshes/${enc(mesh)}/dataplanes+insights?size=${STATUS_PAGE_SIZE}&pages=${MAX_STATUS_PAGES}`,
    fetch: async () => {
      // The first page's token: the changes after it are what the pages read later may have missed.
      let resumeToken: string | undefined;
      const overviews: DataplaneOverview[] = [];
      let offset: string | undefined;
      for (let pages = 1; ; pages++) {
        const page = await client.dataplaneOverviews({ mesh, size: STATUS_PAGE_SIZE, offset });
        resumeToken ??= page.resumeToken;
        const total = page.total;
        if (total > STATUS_PAGE_SIZE * MAX_STATUS_PAGES) {
          const data = { total, byStatus: undefined, pages, statuses: undefined };
          return { changed: true, data, resumeToken };
        }
        overviews.push(...page.items);
        offset = page.nextOffset;
        if (offset === undefined) {
          const statuses = statusesOf(overviews, now());
          const { byStatus } = countTally(tallyOf(statuses));
          return { changed: true, data: { total, byStatus, pages, statuses }, resumeToken };
        }
      }
    },
  };
}
