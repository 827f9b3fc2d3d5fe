/**
 * The six policy types as the GUI shows them: their URL segment (the API's
 * collection path), names, and the minimal valid example the empty state
 * offers (valid per resources.md).
 */
import {
  HealthCheckType,
  ProxyTemplateType,
  TrafficLogType,
  TrafficPermissionType,
  TrafficRouteType,
  TrafficTraceType,
  type PolicyType,
} from "@kuma-ts/model";

/** One policy type's page. */
export interface PolicyPage {
  readonly type: PolicyType;
  /** The URL segment, the API's collection path: `traffic-routes`, `proxytemplates` (sic). */
  readonly path: string;
  /** `Traffic Routes` */
  readonly title: string;
  /** `traffic route` */
  readonly singular: string;
  /** One line for the empty state. */
  readonly explanation: string;
  /** A minimal valid resource, as YAML for `kumactl apply -f`. */
  readonly example: string;
  readonly docs: string;
}

/** Kuma 0.4's documentation (a link: nothing is loaded from it). */
export const DOCS_URL = "https://kuma.io/docs/0.4.0/";
const DOCS = `${DOCS_URL}policies/`;

/** Every policy page, in the sidebar's order. */
export const policyPages: readonly PolicyPage[] = [
  {
    type: HealthCheckType,
    path: HealthCheckType.path,
    title: "Health Checks",
    singular: "health check",
    explanation:
      "Health checks mark the unhealthy endpoints of a service so that traffic avoids them.",
    example: `type: HealthCheck
name: web-to-backend
mesh: MESH
sources:
  - match:
      service: web
destinations:
  - match:
      service: backend
conf:
  activeChecks:
    interval: 10s
    timeout: 2s
    unhealthyThreshold: 3
    healthyThreshold: 1
`,
    docs: `${DOCS}health-check/`,
  },
  {
    type: ProxyTemplateType,
    path: ProxyTemplateType.path,
    title: "Proxy Templates",
    singular: "proxy template",
    explanation: "Proxy templates change the Envoy configuration of selected dataplanes.",
    example: `type: ProxyTemplate
name: default-with-extras
mesh: MESH
selectors:
  - match:
      service: backend
conf:
  imports:
    - default-proxy
`,
    docs: `${DOCS}proxy-template/`,
  },
  {
    type: TrafficLogType,
    path: TrafficLogType.path,
    title: "Traffic Logs",
    singular: "traffic log",
    explanation:
      "Traffic logs send the access logs of the traffic between services to a logging backend.",
    example: `type: TrafficLog
name: all-traffic
mesh: MESH
sources:
  - match:
      service: '*'
destinations:
  - match:
      service: '*'
`,
    docs: `${DOCS}traffic-log/`,
  },
  {
    type: TrafficPermissionType,
    path: TrafficPermissionType.path,
    title: "Traffic Permissions",
    singular: "traffic permission",
    explanation: "With mTLS on, only the traffic that a permission allows gets through.",
    example: `type: TrafficPermission
name: web-to-backend
mesh: MESH
sources:
  - match:
      service: web
destinations:
  - match:
      service: backend
`,
    docs: `${DOCS}traffic-permissions/`,
  },
  {
    type: TrafficRouteType,
    path: TrafficRouteType.path,
    title: "Traffic Routes",
    singular: "traffic route",
    explanation: "Traffic routes split the traffic to a service between its versions.",
    example: `type: TrafficRoute
name: web-to-backend
mesh: MESH
sources:
  - match:
      service: web
destinations:
  - match:
      service: backend
conf:
  - weight: 90
    destination:
      service: backend
      version: v1
  - weight: 10
    destination:
      service: backend
      version: v2
`,
    docs: `${DOCS}traffic-route/`,
  },
  {
    type: TrafficTraceType,
    path: TrafficTraceType.path,
    title: "Traffic Traces",
    singular: "traffic trace",
    explanation: "Traffic traces send the traces of selected dataplanes to a tracing backend.",
    example: `type: TrafficTrace
name: all-dataplanes
mesh: MESH
selectors:
  - match:
      service: '*'
`,
    docs: `${DOCS}traffic-trace/`,
  },
];

/** The page of a URL segment, or undefined for an unknown type. */
export const policyPageOf = (path: string): PolicyPage | undefined =>
  policyPages.find((page) => page.path === path);

/** The page of a wire type name (`TrafficRoute`). */
export const policyPageOfType = (typeName: string): PolicyPage | undefined =>
  policyPages.find((page) => page.type.name === typeName);
