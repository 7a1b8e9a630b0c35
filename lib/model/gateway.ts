/* The API gateway: routes, its Docker proxy and Kubernetes Ingress settings, and their rules. */
import { Construct } from 'constructs';
import { LABEL_COMPONENT, LABEL_NAME } from './identity';
import { referenceRules } from './image';
import type { Microservice } from './microservice';
import { isDnsLabel, isDnsSubdomain } from './names';
import { portsOf } from './ports';
import { ResolvedResources, resolveResources, ResourcesProps } from './resources';
import { DEFAULT_SECURITY, ResolvedSecurity, resolveSecurity, SecurityProps } from './security';
import { ignoreReport, inRange, OptionNames, Report, ResolveContext, show, unknownOptionRules } from './validation';

/** One gateway route: requests whose path starts with `path` go to `service`. */
export interface GatewayRouteProps {
  /** Path prefix, starting with '/'. */
  readonly path: string;
  readonly service: Microservice;
  /**
   * Port of the service.
   * @default - the service's first port
   */
  readonly port?: number;
}

/** Properties of a {@link Gateway}. */
export interface GatewayProps {
  /** @default [] */
  readonly routes?: GatewayRouteProps[];
  /**
   * Host name the routes answer to (Ingress rule host; nginx `server_name`).
   * @default - any host
   */
  readonly host?: string;
  /**
   * Image of the Docker/compose gateway proxy (nginx). Kubernetes uses the cluster's Ingress controller.
   * @default 'nginx:1.27-alpine'
   */
  readonly image?: string;
  /**
   * Host port the Docker/compose gateway is published on.
   * @default 8080
   */
  readonly publish?: number;
  /**
   * Ingress class of the Kubernetes Ingress.
   * @default - the cluster default
   */
  readonly ingressClassName?: string;
  /**
   * Namespace of the Ingress controller pods, allowed through the NetworkPolicies of routed services.
   * @default 'ingress-nginx'
   */
  readonly controllerNamespace?: string;
}

/** A route as stored by the gateway. */
export interface GatewayRoute {
  readonly path: string;
  readonly service: Microservice;
  readonly port?: number;
}

const GATEWAY_SYMBOL = Symbol.for('microservice-constructs.Gateway');

/** The API gateway: an Ingress in Kubernetes, an nginx container in Docker and compose. */
export class Gateway extends Construct {
  public static isGateway(x: unknown): x is Gateway {
    return x !== null && typeof x === 'object' && GATEWAY_SYMBOL in (x as object);
  }

  public readonly props: GatewayProps;
  private readonly routeList: GatewayRoute[] = [];

  constructor(scope: Construct, id: string, props: GatewayProps = {}) {
    super(scope, id);
    Object.defineProperty(this, GATEWAY_SYMBOL, { value: true });
    this.props = props;
    for (const route of props.routes ?? []) this.addRoute(route.path, route.service, route.port);
  }

  /** Routes `path` (a prefix) to `service`. Rejects a duplicate path. */
  public addRoute(path: string, service: Microservice, port?: number): void {
    if (this.node.locked)
      throw new Error(`gateway '${this.node.id}': 'routes' cannot change after the application is locked for synthesis`);
    if (this.routeList.some((r) => r.path === path)) {
      throw new Error(`gateway '${this.node.id}': 'routes' has path '${path}' twice`);
    }
    this.routeList.push({ path, service, port });
  }

  public get routes(): readonly GatewayRoute[] {
    return [...this.routeList];
  }
}

export interface ResolvedRoute {
  readonly path: string;
  readonly service: string;
  /** Container port of the service (what the Docker gateway proxies to). */
  readonly port: number;
  /** Its Kubernetes Service port (what the Ingress backend names). */
  readonly servicePort: number;
}

export interface ResolvedGateway {
  readonly name: string;
  readonly routes: ResolvedRoute[];
  readonly host?: string;
  readonly image: string;
  readonly publish: number;
  /** Port nginx listens on inside its container. */
  readonly listenPort: number;
  readonly ingressClassName?: string;
  readonly controllerNamespace: string;
  readonly resources: ResolvedResources;
  readonly security: ResolvedSecurity;
  readonly labels: Record<string, string>;
}

export const DEFAULT_GATEWAY_IMAGE = 'nginx:1.27-alpine';
export const DEFAULT_GATEWAY_PUBLISH = 8080;
export const GATEWAY_LISTEN_PORT = 8080;
export const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';
/** Gateway route paths: safe in an Ingress path and in an nginx `location` (no ';', '{', quotes or spaces). */
const ROUTE_PATH = /^\/[-A-Za-z0-9._~\/]*$/;
const GATEWAY_OPTIONS: OptionNames<GatewayProps> = {
  routes: true,
  host: true,
  image: true,
  publish: true,
  ingressClassName: true,
  controllerNamespace: true,
};
const ROUTE_OPTIONS: OptionNames<GatewayRouteProps> = { path: true, service: true, port: true };

/** Every gateway in the application's tree. @internal */
export function gatewaysOf(root: Construct): Gateway[] {
  return root.node.findAll().filter(Gateway.isGateway);
}

/** Application-wide settings a gateway inherits. @internal */
export interface GatewayScope {
  readonly labels: Record<string, string>;
  readonly resources?: ResourcesProps;
  readonly security?: SecurityProps;
  readonly imageOverrides?: Record<string, string>;
}

/** Resolves gateway `g`; its messages start with `gateway '<id>': `. @internal */
export function resolveGateway(g: Gateway, ctx: ResolveContext, scope: GatewayScope, report: Report): ResolvedGateway {
  const at: Report = (m) => report(m === undefined ? undefined : `gateway '${g.node.id}': ${m}`);
  unknownOptionRules(g.props, GATEWAY_OPTIONS, undefined, at);
  (g.props.routes ?? []).forEach((r, i) => unknownOptionRules(r, ROUTE_OPTIONS, `routes[${i}]`, at));
  const routes: ResolvedRoute[] = [];
  for (const r of g.routes) {
    if (typeof r.path !== 'string' || !ROUTE_PATH.test(r.path))
      at(`'routes' path must start with '/' and hold only letters, digits and '-._~/', got ${show(r.path)}`);
    const target = ctx.byConstruct.get(r.service);
    if (!target) {
      at(`'routes[${r.path}]' refers to '${r.service.node.path}' which is outside application '${ctx.app.name}'`);
      continue;
    }
    const ports = portsOf(target.props);
    if (ports.length === 0) at(`'routes[${r.path}]' targets service '${target.name}' which declares no ports`);
    else if (r.port !== undefined && !ports.some((p) => p.port === r.port)) {
      at(`'routes[${r.path}]' targets port ${r.port} of service '${target.name}' which declares ports ${show(ports.map((p) => p.port))}`);
    }
    const port = ports.find((p) => p.port === r.port) ?? ports[0];
    routes.push({ path: r.path, service: target.name, port: r.port ?? port?.port, servicePort: port?.servicePort ?? r.port });
  }
  const p = g.props;
  if (p.host !== undefined && !isDnsSubdomain(p.host)) at(`'host' must be a DNS name, got ${show(p.host)}`);
  if (p.publish !== undefined && !inRange(p.publish, 1, 65535)) at(`'publish' must be an integer in 1..65535, got ${show(p.publish)}`);
  if (p.image !== undefined) referenceRules(p.image, 'image', false, at);
  const name = g.node.id.toLowerCase();
  if (!isDnsLabel(name)) at(`'id' must be a DNS-1123 label, got ${show(g.node.id)}`);
  const image = p.image ?? DEFAULT_GATEWAY_IMAGE;
  return {
    name,
    routes,
    host: p.host,
    image: scope.imageOverrides?.[image] ?? image,
    publish: p.publish ?? DEFAULT_GATEWAY_PUBLISH,
    listenPort: GATEWAY_LISTEN_PORT,
    ingressClassName: p.ingressClassName,
    controllerNamespace: p.controllerNamespace ?? DEFAULT_INGRESS_CONTROLLER_NAMESPACE,
    // The application's settings are checked where the application resolves.
    resources: resolveResources([['the application', scope.resources]], 'resources', ignoreReport),
    security: resolveSecurity(DEFAULT_SECURITY, scope.security, 'security', ignoreReport),
    labels: { ...scope.labels, [LABEL_NAME]: name, [LABEL_COMPONENT]: 'gateway' },
  };
}
