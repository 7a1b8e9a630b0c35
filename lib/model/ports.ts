/* Ports: what a service listens on, its default names, host publishing and the Kubernetes Service type. */
import * as net from 'net';
import { defaultPortName, isDnsLabel, isPortName } from './names';
import { ignoreReport, inRange, objectEntries, oneOfRule, OptionNames, Report, show, unknownOptionRules } from './validation';

/** Transport protocol of a port. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
}

/** How a Kubernetes Service is exposed. */
export enum ServiceType {
  CLUSTER_IP = 'ClusterIP',
  NODE_PORT = 'NodePort',
  LOAD_BALANCER = 'LoadBalancer',
}

/** A port the service listens on. */
export interface PortProps {
  /** Container port, 1..65535. */
  readonly port: number;
  /**
   * Port name (IANA service name: lowercase letters, digits and '-', at most 15 characters).
   * @default 'port-<port>'
   */
  readonly name?: string;
  /** @default Protocol.TCP */
  readonly protocol?: Protocol;
  /**
   * Application protocol, the scheme of the `<DEP>_URL` variable dependents get (`http` gives
   * `http://<service>:<port>`).
   * @default 'http' when the port is named 'http', otherwise none (no `<DEP>_URL`)
   */
  readonly appProtocol?: string;
  /**
   * Host port to publish on (Docker and compose: `-p <publish>:<port>`; Kubernetes: the nodePort when
   * `serviceType` is NodePort, otherwise local-only and reported).
   * @default - not published
   */
  readonly publish?: number;
  /**
   * Host address the published port listens on in Docker targets, e.g. '0.0.0.0' for every interface of the host.
   * @default - the application's `publishAddress`, else '127.0.0.1' (the Docker host only)
   */
  readonly publishAddress?: string;
  /**
   * Port of the Kubernetes Service, when it differs from the container port (`{ port: 8079, servicePort: 80 }`:
   * Service port 80, targetPort 8079). Kubernetes dependents get it in `<DEP>_PORT`/`<DEP>_URL`; Docker has no
   * Service in between, so there dependents reach the container port and get that instead.
   * @default - the container port
   */
  readonly servicePort?: number;
}

/** What an {@link IngressSource} admits. */
export enum IngressSourceKind {
  /** Any source. */
  ANYWHERE = 'anywhere',
  /** Addresses in a CIDR block (IPv4 or IPv6). */
  CIDR = 'cidr',
  /** Every pod of a Kubernetes namespace. */
  NAMESPACE = 'namespace',
}

/** Traffic from outside the application that a service admits on its ports (Kubernetes NetworkPolicy). */
export class IngressSource {
  /** Any source: the default of NodePort and LoadBalancer services. */
  public static anywhere(): IngressSource {
    return new IngressSource(IngressSourceKind.ANYWHERE, undefined);
  }

  /** Addresses in `cidr`, e.g. '10.0.0.0/8' (a NetworkPolicy ipBlock). */
  public static cidr(cidr: string): IngressSource {
    return new IngressSource(IngressSourceKind.CIDR, cidr);
  }

  /** Every pod of namespace `name`, e.g. an ingress controller's 'ingress-nginx'. */
  public static namespace(name: string): IngressSource {
    return new IngressSource(IngressSourceKind.NAMESPACE, name);
  }

  private constructor(
    public readonly kind: IngressSourceKind,
    public readonly value: string | undefined,
  ) {}
}

/** How a service is reached from outside its application. */
export interface ExposureProps {
  /** Kubernetes Service type. @default ServiceType.CLUSTER_IP */
  readonly serviceType?: ServiceType;
  /**
   * Sources outside the application admitted on the service's ports (its NetworkPolicy). In-app dependents and
   * the gateway are always admitted. Docker targets do not filter by source (a diagnostic says so).
   * @default - NodePort and LoadBalancer services: [IngressSource.anywhere()] (they exist to be reached from
   * outside); ClusterIP services: [] (dependents and the gateway only)
   */
  readonly ingressFrom?: IngressSource[];
}

const PORT_OPTIONS: OptionNames<PortProps> = {
  port: true,
  name: true,
  protocol: true,
  appProtocol: true,
  publish: true,
  servicePort: true,
  publishAddress: true,
};
export const EXPOSURE_OPTIONS: OptionNames<ExposureProps> = { serviceType: true, ingressFrom: true };

export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly appProtocol?: string;
  readonly publish?: number;
  /** Host address of the published port, when the port sets one (the Docker plan decides the default). */
  readonly publishAddress?: string;
  /** Port of the Kubernetes Service (the container port unless `servicePort` says otherwise). */
  readonly servicePort: number;
}

const portsByProps = new WeakMap<object, ResolvedPort[]>();

/**
 * The resolved ports of a service other resolvers read (dependencies' ports, gateway targets), computed once per
 * props object; their rules are reported where that service itself resolves.
 * @internal
 */
export function portsOf(props: { readonly ports?: PortProps[] }): ResolvedPort[] {
  let ports = portsByProps.get(props);
  if (!ports) {
    ports = resolvePorts(props.ports, 'ports', ignoreReport);
    portsByProps.set(props, ports);
  }
  return ports;
}

/** Resolves a port list; `where` is the field ('ports', 'sidecars[envoy].ports'). @internal */
export function resolvePorts(ports: PortProps[] | undefined, where: string, report: Report): ResolvedPort[] {
  const seen = new Set<string>();
  const names = new Set<string>();
  const servicePorts = new Set<string>();
  return objectEntries(ports, where, report).map(([p, i]) => {
    unknownOptionRules(p, PORT_OPTIONS, `${where}[${i}]`, report);
    oneOfRule(p.protocol, Object.values(Protocol), `${where}[${i}].protocol`, report);
    const name = p.name ?? defaultPortName(p.port, p.protocol);
    const protocol = p.protocol ?? Protocol.TCP;
    if (!inRange(p.port, 1, 65535)) report(`'${where}[${i}].port' must be an integer in 1..65535, got ${show(p.port)}`);
    const key = `${p.port}/${protocol}`;
    const twice = seen.has(key);
    if (twice) report(`'${where}' declares port ${key} twice`);
    seen.add(key);
    if (p.name !== undefined && !isPortName(p.name)) {
      report(`'${where}[${i}].name' must be an IANA service name (lowercase, <= 15 characters, a letter), got ${show(p.name)}`);
    }
    if (names.has(name)) report(`'${where}' declares port name ${show(name)} twice`);
    names.add(name);
    if (p.publish !== undefined && !inRange(p.publish, 1, 65535))
      report(`'${where}[${i}].publish' must be an integer in 1..65535, got ${show(p.publish)}`);
    publishAddressRule(p.publishAddress, `${where}[${i}].publishAddress`, report);
    if (p.publishAddress !== undefined && p.publish === undefined)
      report(`'${where}[${i}].publishAddress' needs 'publish' (a host port), got ${show(p.publishAddress)}`);
    if (p.appProtocol !== undefined && !/^[a-z][a-z0-9+.-]*$/.test(p.appProtocol)) {
      report(`'${where}[${i}].appProtocol' must be a URL scheme, got ${show(p.appProtocol)}`);
    }
    if (p.servicePort !== undefined && !inRange(p.servicePort, 1, 65535))
      report(`'${where}[${i}].servicePort' must be an integer in 1..65535, got ${show(p.servicePort)}`);
    const servicePort = p.servicePort ?? p.port;
    // Duplicate container ports are reported above; a Service port must not be another port's.
    if (!twice && servicePorts.has(`${servicePort}/${protocol}`))
      report(`'${where}[${i}].servicePort' ${servicePort}/${protocol} is already the Service port of another port`);
    servicePorts.add(`${servicePort}/${protocol}`);
    return {
      name,
      port: p.port,
      protocol,
      appProtocol: p.appProtocol ?? (name === 'http' ? 'http' : undefined),
      publish: p.publish,
      servicePort,
      ...(p.publishAddress !== undefined ? { publishAddress: p.publishAddress } : {}),
    };
  });
}

export interface ResolvedIngressSource {
  readonly kind: IngressSourceKind;
  /** The CIDR block or the namespace name. */
  readonly value?: string;
}

export interface ResolvedExposure {
  readonly serviceType: ServiceType;
  /** Sources outside the application admitted on the service's ports; empty: dependents and gateway only. */
  readonly ingressFrom: ResolvedIngressSource[];
}

const IPV4_CIDR = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\/(3[0-2]|[12]?\d)$/;
const IPV6_CIDR = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*\/(12[0-8]|1[01]\d|[1-9]?\d)$/;

/** Resolves the Service type and the outside sources of a service with `ports`. @internal */
export function resolveExposure(props: ExposureProps, ports: ResolvedPort[], report: Report): ResolvedExposure {
  const serviceType = resolveServiceType(props, ports, report);
  if (props.ingressFrom === undefined) {
    const open = serviceType !== ServiceType.CLUSTER_IP && ports.length > 0;
    return { serviceType, ingressFrom: open ? [{ kind: IngressSourceKind.ANYWHERE }] : [] };
  }
  if (!Array.isArray(props.ingressFrom)) {
    report(`'ingressFrom' must be a list of IngressSource (IngressSource.anywhere/cidr/namespace), got ${show(props.ingressFrom)}`);
    return { serviceType, ingressFrom: [] };
  }
  if (props.ingressFrom.length > 0 && ports.length === 0)
    report(`'ingressFrom' admits traffic to the service's ports but 'ports' is empty`);
  const ingressFrom = props.ingressFrom.flatMap((src, i): ResolvedIngressSource[] => {
    if (!(src instanceof IngressSource)) {
      report(`'ingressFrom[${i}]' must be an IngressSource (IngressSource.anywhere/cidr/namespace), got ${show(src)}`);
      return [];
    }
    if (
      src.kind === IngressSourceKind.CIDR &&
      !(typeof src.value === 'string' && (IPV4_CIDR.test(src.value) || IPV6_CIDR.test(src.value)))
    ) {
      report(`'ingressFrom[${i}]' must be an IPv4 or IPv6 CIDR block such as '10.0.0.0/8', got ${show(src.value)}`);
    }
    if (src.kind === IngressSourceKind.NAMESPACE && !(typeof src.value === 'string' && isDnsLabel(src.value))) {
      report(`'ingressFrom[${i}]' namespace must be a DNS-1123 label, got ${show(src.value)}`);
    }
    return [src.value === undefined ? { kind: src.kind } : { kind: src.kind, value: src.value }];
  });
  return { serviceType, ingressFrom };
}

/** Resolves the Service type of a service with `ports`. @internal */
function resolveServiceType(props: ExposureProps, ports: ResolvedPort[], report: Report): ServiceType {
  oneOfRule(props.serviceType, Object.values(ServiceType), 'serviceType', report);
  const type = props.serviceType ?? ServiceType.CLUSTER_IP;
  if (type === ServiceType.CLUSTER_IP || !Object.values(ServiceType).includes(type)) return ServiceType.CLUSTER_IP;
  if (ports.length === 0) report(`'serviceType' ${type} needs at least one port`);
  else if (type === ServiceType.NODE_PORT) {
    ports.forEach((p, i) => {
      if (p.publish !== undefined && !inRange(p.publish, 30000, 32767))
        report(`'ports[${i}].publish' must be in 30000..32767 for serviceType NodePort, got ${p.publish}`);
    });
  }
  return type;
}

/** Where Docker targets publish ports unless the port or the application says otherwise: the Docker host only. */
export const DEFAULT_PUBLISH_ADDRESS = '127.0.0.1';

/** A publish address is an IPv4 or IPv6 address of the host. @internal */
export function publishAddressRule(address: unknown, where: string, report: Report): void {
  if (address !== undefined && !(typeof address === 'string' && net.isIP(address) !== 0)) {
    report(`'${where}' must be an IPv4 or IPv6 address such as '127.0.0.1' or '0.0.0.0', got ${show(address)}`);
  }
}

/** One published host port: who publishes it (`service 'web'`), from which container, for which protocol. */
export interface PortClaim {
  readonly publish: number;
  readonly owner: string;
  /** The container within the owner (a sidecar's name), '' for the main one. */
  readonly container: string;
  readonly protocol: Protocol;
  /** The Kubernetes Service port (a NodePort is allocated once per Service port number). */
  readonly servicePort?: number;
}

/**
 * The host ports of an application: each is published once, except that one container may publish it for TCP and
 * for UDP (DNS's 53, a syslog's 514): Docker binds each protocol apart, and Kubernetes validates a nodePort per
 * protocol and allocates it once for the Service ports of the same number. The model checks it; compose import
 * claims ports with it so that it never publishes what the model would refuse. @internal
 */
export class HostPortClaims {
  private readonly byPort = new Map<number, PortClaim[]>();

  /** Takes `c`, or returns the earlier claim it conflicts with (and does not take it). */
  public claim(c: PortClaim): PortClaim | undefined {
    const prior = this.byPort.get(c.publish) ?? [];
    const other = prior.find(
      (p) => p.owner !== c.owner || p.container !== c.container || p.protocol === c.protocol || p.servicePort !== c.servicePort,
    );
    if (!other) this.byPort.set(c.publish, [...prior, c]);
    return other;
  }
}

/** Every host port is published once, as {@link HostPortClaims} says; `claims` in definition order. @internal */
export function publishedPortRules(claims: readonly PortClaim[], report: Report): void {
  const taken = new HostPortClaims();
  for (const c of claims) {
    const other = taken.claim(c);
    if (other) report(`${c.owner}: published host port ${c.publish} is already published by ${other.owner}`);
  }
}
