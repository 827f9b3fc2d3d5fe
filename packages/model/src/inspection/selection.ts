/**
 * R6: the candidates of each policy type for each attachment, in decision
 * order. The index is built per request from the policies read for it
 * (never kept across writes): selectors are grouped by the `service` value
 * they require, so that an attachment only looks at the selectors that
 * could match it.
 */
import type { Dataplane } from "../resources/dataplane.js";
import type { Selector } from "../resources/selector.js";
import type { HealthCheck } from "../resources/health-check.js";
import type { ProxyTemplate } from "../resources/proxy-template.js";
import type { TrafficLog } from "../resources/traffic-log.js";
import type { TrafficPermission } from "../resources/traffic-permission.js";
import type { TrafficRoute } from "../resources/traffic-route.js";
import type { TrafficTrace } from "../resources/traffic-trace.js";
import { compareCodePoints } from "../codec/decode.js";
import { SERVICE_TAG } from "../validation/tags.js";
import {
  dataplaneAttachments,
  type DataplaneAttachments,
  type InboundAttachment,
} from "./attachments.js";
import type { MeshPolicies } from "./policies.js";
import {
  addRanks,
  bestMatchingRank,
  compareRanks,
  decisionOrder,
  rankOf,
  selectorMatches,
  WILDCARD,
  type Rank,
  type Tags,
} from "./selectors.js";

/** A candidate policy of an attachment: with its rank, except under TrafficPermission (every candidate applies). */
export interface Candidate<P> {
  readonly policy: P;
  readonly rank?: Rank;
}

/** A policy whose sources select dataplanes and whose destinations select services. */
type ServicePolicy = TrafficRoute | TrafficLog | HealthCheck;

const matchOf = (selector: Selector): Tags => selector.match ?? {};

/** A dataplane under inspection: its attachments, and the rank of each policy's sources against it (R3), computed once. */
export class InspectedDataplane {
  readonly attachments: DataplaneAttachments;
  private readonly sourceRanks = new Map<ServicePolicy, Rank | null>();

  constructor(readonly dataplane: Dataplane) {
    this.attachments = dataplaneAttachments(dataplane);
  }

  /** The best rank among the policy's sources that match this dataplane, or undefined. */
  sourceRank(policy: ServicePolicy): Rank | undefined {
    let rank = this.sourceRanks.get(policy);
    if (rank === undefined) {
      rank =
        bestMatchingRank((policy.sources ?? []).map(matchOf), this.attachments.tagSets) ?? null;
      this.sourceRanks.set(policy, rank);
    }
    return rank ?? undefined;
  }
}

interface BucketEntry<T> {
  readonly owner: T;
  readonly selector: Tags;
  readonly rank: Rank;
}

/**
 * Selectors grouped by the `service` value they require: a selector
 * `{service: "web", ...}` can only match a tag map whose service is `web`;
 * those without a service key, or with `*`, are looked at for every tag map.
 */
class SelectorBuckets<T> {
  private readonly byService = new Map<string, BucketEntry<T>[]>();
  private readonly anyService: BucketEntry<T>[] = [];

  add(owner: T, selector: Tags): void {
    const entry = { owner, selector, rank: rankOf(selector) };
    const service = serviceOf(selector);
    if (service === undefined || service === WILDCARD) {
      this.anyService.push(entry);
      return;
    }
    const bucket = this.byService.get(service);
    if (bucket) bucket.push(entry);
    else this.byService.set(service, [entry]);
  }

  /** Each owner with a selector matching one of the tag maps on its own, with its best matching rank (R3). */
  bestMatches(tagSets: readonly Tags[]): Map<T, Rank> {
    const best = new Map<T, Rank>();
    const offer = (entries: readonly BucketEntry<T>[] | undefined, tags: Tags): void => {
      for (const entry of entries ?? []) {
        if (!selectorMatches(entry.selector, tags)) continue;
        const known = best.get(entry.owner);
        if (known === undefined || compareRanks(entry.rank, known) > 0)
          best.set(entry.owner, entry.rank);
      }
    };
    for (const tags of tagSets) {
      const service = serviceOf(tags);
      if (service !== undefined) offer(this.byService.get(service), tags);
      offer(this.anyService, tags);
    }
    return best;
  }
}

function serviceOf(tags: Tags): string | undefined {
  return Object.hasOwn(tags, SERVICE_TAG) ? tags[SERVICE_TAG] : undefined;
}

function bucketsOf<P>(
  policies: readonly P[],
  selectorsOf: (policy: P) => readonly Tags[],
): SelectorBuckets<P> {
  const buckets = new SelectorBuckets<P>();
  for (const policy of policies)
    for (const selector of selectorsOf(policy)) buckets.add(policy, selector);
  return buckets;
}

const inDecisionOrder = <P extends { readonly name: string }>(
  candidates: Candidate<P>[],
): Candidate<P>[] =>
  candidates.sort((a, b) =>
    decisionOrder({ name: a.policy.name, rank: a.rank! }, { name: b.policy.name, rank: b.rank! }),
  );

const byName = <P extends { readonly name: string }>(candidates: Candidate<P>[]): Candidate<P>[] =>
  candidates.sort((a, b) => compareCodePoints(a.policy.name, b.policy.name));

/**
 * The policies of one mesh, indexed for R6. Each type's index is built on
 * first use, so a caller that needs one type pays for that type only.
 */
export class PolicyIndex {
  private readonly built = new Map<string, SelectorBuckets<never>>();

  /** `policies`: the mesh's policies; the types a caller never asks about may be left out. */
  constructor(private readonly policies: Partial<MeshPolicies>) {}

  /** TrafficPermission at an inbound: every permission with a source and a destination matching the inbound's tags, by name. */
  permissionsFor(inbound: InboundAttachment): Candidate<TrafficPermission>[] {
    const buckets = this.buckets("TrafficPermission", (policy) =>
      (policy.sources ?? []).length > 0 ? (policy.destinations ?? []).map(matchOf) : [],
    );
    return byName([...buckets.bestMatches([inbound.tags]).keys()].map((policy) => ({ policy })));
  }

  /** TrafficRoute at an outbound of `service`. */
  routesFor(dataplane: InspectedDataplane, service: string): Candidate<TrafficRoute>[] {
    return this.forService("TrafficRoute", dataplane, service);
  }

  /** TrafficLog at an outbound of `service`. */
  logsFor(dataplane: InspectedDataplane, service: string): Candidate<TrafficLog>[] {
    return this.forService("TrafficLog", dataplane, service);
  }

  /** HealthCheck at a reachable `service`. */
  healthChecksFor(dataplane: InspectedDataplane, service: string): Candidate<HealthCheck>[] {
    return this.forService("HealthCheck", dataplane, service);
  }

  /** TrafficTrace at the dataplane. */
  tracesFor(dataplane: InspectedDataplane): Candidate<TrafficTrace>[] {
    const buckets = this.buckets("TrafficTrace", (policy) => (policy.selectors ?? []).map(matchOf));
    return ranked(buckets.bestMatches(dataplane.attachments.tagSets));
  }

  /** ProxyTemplate at the dataplane: one without selectors matches with the lowest rank. */
  proxyTemplatesFor(dataplane: InspectedDataplane): Candidate<ProxyTemplate>[] {
    const buckets = this.buckets("ProxyTemplate", (policy) =>
      (policy.selectors ?? []).length === 0 ? [{}] : (policy.selectors ?? []).map(matchOf),
    );
    // A dataplane without any tag map is still matched by the selectors that match anything.
    const tagSets = dataplane.attachments.tagSets.length > 0 ? dataplane.attachments.tagSets : [{}];
    return ranked(buckets.bestMatches(tagSets));
  }

  /** Sources matching the dataplane, destinations matching `{service}`: ranked by the sum of the best of each. */
  private forService<N extends "TrafficRoute" | "TrafficLog" | "HealthCheck">(
    type: N,
    dataplane: InspectedDataplane,
    service: string,
  ): Candidate<MeshPolicies[N][number]>[] {
    const buckets = this.buckets(type, (policy) => (policy.destinations ?? []).map(matchOf));
    const candidates: Candidate<MeshPolicies[N][number]>[] = [];
    for (const [policy, destinationRank] of buckets.bestMatches([{ [SERVICE_TAG]: service }])) {
      const sourceRank = dataplane.sourceRank(policy);
      if (sourceRank !== undefined)
        candidates.push({ policy, rank: addRanks(sourceRank, destinationRank) });
    }
    return inDecisionOrder(candidates);
  }

  private buckets<N extends keyof MeshPolicies>(
    type: N,
    selectorsOf: (policy: MeshPolicies[N][number]) => readonly Tags[],
  ): SelectorBuckets<MeshPolicies[N][number]> {
    let buckets = this.built.get(type) as SelectorBuckets<MeshPolicies[N][number]> | undefined;
    if (!buckets) {
      buckets = bucketsOf(this.policies[type] ?? [], selectorsOf);
      this.built.set(type, buckets as SelectorBuckets<never>);
    }
    return buckets;
  }
}

function ranked<P extends { readonly name: string }>(matches: Map<P, Rank>): Candidate<P>[] {
  return inDecisionOrder([...matches].map(([policy, rank]) => ({ policy, rank })));
}
