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
import type { MeshPolicies, Policy } from "./policies.js";
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

/** The best rank among a policy's sources that match the dataplane's tag maps (R3), or undefined. */
export function sourceRank(policy: ServicePolicy, tagSets: readonly Tags[]): Rank | undefined {
  return bestMatchingRank((policy.sources ?? []).map(matchOf), tagSets);
}

/**
 * A dataplane under inspection: its attachments, and a key of its tag maps.
 * What R6 decides depends on a dataplane only through its tag maps (and the
 * service of an attachment), so dataplanes with the same tags (the replicas
 * of a service) share their decisions within one request.
 */
export class InspectedDataplane {
  readonly attachments: DataplaneAttachments;
  /** The tag maps as text: equal for dataplanes that every selector treats alike. */
  readonly tagsKey: string;

  constructor(readonly dataplane: Dataplane) {
    this.attachments = dataplaneAttachments(dataplane);
    this.tagsKey = JSON.stringify(this.attachments.tagSets);
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

/**
 * How a policy's destinations rank against `{service: S}`, for any S, worked
 * out once: a selector matches such a tag map only when its only key is
 * `service` (an exact value or `*`), or when it is `{}`.
 */
class ServiceRanks {
  private readonly exact = new Map<string, Rank>();
  private readonly any: Rank | undefined;

  constructor(selectors: readonly Tags[]) {
    let any: Rank | undefined;
    for (const selector of selectors) {
      const keys = Object.keys(selector);
      if (keys.length > 1 || (keys.length === 1 && keys[0] !== SERVICE_TAG)) continue;
      const rank = rankOf(selector);
      const service = serviceOf(selector);
      if (service === undefined || service === WILDCARD) {
        if (any === undefined || compareRanks(rank, any) > 0) any = rank;
      } else {
        const known = this.exact.get(service);
        if (known === undefined || compareRanks(rank, known) > 0) this.exact.set(service, rank);
      }
    }
    this.any = any;
  }

  /** The best rank of a destination matching `{service}`, or undefined. */
  of(service: string): Rank | undefined {
    const exact = this.exact.get(service);
    if (exact === undefined) return this.any;
    return this.any === undefined || compareRanks(exact, this.any) >= 0 ? exact : this.any;
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
  private readonly destinations = new Map<ServicePolicy, ServiceRanks>();
  /** Decisions already made in this request, by type, tag maps and service. */
  private readonly decided = new Map<string, readonly Candidate<Policy>[]>();
  private readonly sources = new Map<string, Map<ServicePolicy, Rank>>();

  /** `policies`: the mesh's policies; the types a caller never asks about may be left out. */
  constructor(private readonly policies: Partial<MeshPolicies>) {}

  /** TrafficPermission at an inbound: every permission with a source and a destination matching the inbound's tags, by name. */
  permissionsFor(inbound: InboundAttachment): readonly Candidate<TrafficPermission>[] {
    return this.remember(`TrafficPermission\n${JSON.stringify(inbound.tags)}`, () => {
      const buckets = this.buckets("TrafficPermission", (policy) =>
        (policy.sources ?? []).length > 0 ? (policy.destinations ?? []).map(matchOf) : [],
      );
      return byName([...buckets.bestMatches([inbound.tags]).keys()].map((policy) => ({ policy })));
    });
  }

  /** TrafficRoute at an outbound of `service`. */
  routesFor(dataplane: InspectedDataplane, service: string): readonly Candidate<TrafficRoute>[] {
    return this.forService("TrafficRoute", dataplane, service);
  }

  /** TrafficLog at an outbound of `service`. */
  logsFor(dataplane: InspectedDataplane, service: string): readonly Candidate<TrafficLog>[] {
    return this.forService("TrafficLog", dataplane, service);
  }

  /** HealthCheck at a reachable `service`. */
  healthChecksFor(
    dataplane: InspectedDataplane,
    service: string,
  ): readonly Candidate<HealthCheck>[] {
    return this.forService("HealthCheck", dataplane, service);
  }

  /** TrafficTrace at the dataplane. */
  tracesFor(dataplane: InspectedDataplane): readonly Candidate<TrafficTrace>[] {
    return this.remember(`TrafficTrace\n${dataplane.tagsKey}`, () => {
      const buckets = this.buckets("TrafficTrace", (policy) =>
        (policy.selectors ?? []).map(matchOf),
      );
      return ranked(buckets.bestMatches(dataplane.attachments.tagSets));
    });
  }

  /** ProxyTemplate at the dataplane: one without selectors matches with the lowest rank. */
  proxyTemplatesFor(dataplane: InspectedDataplane): readonly Candidate<ProxyTemplate>[] {
    return this.remember(`ProxyTemplate\n${dataplane.tagsKey}`, () => {
      const buckets = this.buckets("ProxyTemplate", (policy) =>
        (policy.selectors ?? []).length === 0 ? [{}] : (policy.selectors ?? []).map(matchOf),
      );
      // A dataplane without any tag map is still matched by the selectors that match anything.
      const tagSets =
        dataplane.attachments.tagSets.length > 0 ? dataplane.attachments.tagSets : [{}];
      return ranked(buckets.bestMatches(tagSets));
    });
  }

  /**
   * Sources matching the dataplane, destinations matching `{service}`:
   * ranked by the sum of the best of each. The policies whose sources match
   * are found once per tag maps through the index (a few among many), and
   * only their destinations are looked at for each service.
   */
  private forService<N extends "TrafficRoute" | "TrafficLog" | "HealthCheck">(
    type: N,
    dataplane: InspectedDataplane,
    service: string,
  ): readonly Candidate<MeshPolicies[N][number]>[] {
    return this.remember(`${type}\n${dataplane.tagsKey}\n${service}`, () => {
      const sourcesKey = `${type}\n${dataplane.tagsKey}`;
      let sources = this.sources.get(sourcesKey) as Map<MeshPolicies[N][number], Rank> | undefined;
      if (!sources) {
        sources = this.buckets(type, (policy) => (policy.sources ?? []).map(matchOf)).bestMatches(
          dataplane.attachments.tagSets,
        );
        this.sources.set(sourcesKey, sources);
      }
      const candidates: Candidate<MeshPolicies[N][number]>[] = [];
      for (const [policy, rank] of sources) {
        let destinations = this.destinations.get(policy);
        if (!destinations) {
          destinations = new ServiceRanks((policy.destinations ?? []).map(matchOf));
          this.destinations.set(policy, destinations);
        }
        const destinationRank = destinations.of(service);
        if (destinationRank !== undefined)
          candidates.push({ policy, rank: addRanks(rank, destinationRank) });
      }
      return inDecisionOrder(candidates);
    });
  }

  /** A decision made once per request: the candidates are shared, never changed. */
  private remember<P extends Policy>(
    key: string,
    decide: () => Candidate<P>[],
  ): readonly Candidate<P>[] {
    let found = this.decided.get(key) as readonly Candidate<P>[] | undefined;
    if (!found) {
      found = decide();
      this.decided.set(key, found);
    }
    return found;
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
