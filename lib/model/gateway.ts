import { Construct } from 'constructs';
import { Microservice } from './microservice';

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
    if (this.node.locked) throw new Error(`gateway '${this.node.id}': 'routes' cannot change after the application is locked for synthesis`);
    if (this.routeList.some((r) => r.path === path)) {
      throw new Error(`gateway '${this.node.id}': 'routes' has path '${path}' twice`);
    }
    this.routeList.push({ path, service, port });
  }

  public get routes(): readonly GatewayRoute[] {
    return [...this.routeList];
  }
}
