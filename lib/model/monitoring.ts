/*
 * Monitoring: a Prometheus server that scrapes the `metrics` endpoint of every service of the application, and its
 * scrape configuration. The server is an ordinary service of the application (so every target renders it with the
 * secure defaults, its resources, a persistent volume for the TSDB and the generated configuration as a config file);
 * the resolved model adds what it scrapes.
 */
import { Construct } from 'constructs';
import { LABEL_COMPONENT, pathBelowRoot } from './identity';
import { Image } from './image';
import { Microservice } from './microservice';
import type { ResolvedService } from './resolved';
import { isDnsLabel, serviceNameFromPath } from './names';
import { Probe } from './probes';
import { ResourcesProps } from './resources';
import { SecurityProps } from './security';
import { inRange, OptionNames, Report, show, unknownOptionRules } from './validation';

/** Properties of a {@link Monitoring}. */
export interface MonitoringProps {
  /**
   * Service name of the Prometheus server, a DNS-1123 label unique in the application.
   * @default - derived from the construct path below the application, like a Microservice's
   */
  readonly name?: string;
  /**
   * The Prometheus image. Its entrypoint must be the `prometheus` binary: the flags are passed as arguments.
   * @default Image.fromRegistry('prom/prometheus:v2.53.2')
   */
  readonly image?: Image;
  /**
   * Port of the Prometheus web UI and API (`--web.listen-address`).
   * @default 9090
   */
  readonly port?: number;
  /**
   * Host port the UI and API are published on in Docker targets (on the application's `publishAddress`, like any
   * published port); Kubernetes keeps Prometheus behind its ClusterIP Service (`kubectl port-forward`), and says so.
   * @default - not published
   */
  readonly publish?: number;
  /**
   * Seconds between two scrapes of each target (the scrape timeout is the same, at most 10).
   * @default 15
   */
  readonly scrapeIntervalSeconds?: number;
  /**
   * The server's health check in Docker targets, run inside its container: `Probe.http('/-/ready')` with an image
   * that has wget (prom/prometheus has busybox's), so dependents can wait for it to be healthy. Kubernetes always
   * probes `/-/ready` from the kubelet.
   * @default Probe.none() - a Prometheus image need not have wget (Debian's has none)
   */
  readonly healthcheck?: Probe;
  /** @default - the application's resources */
  readonly resources?: ResourcesProps;
  /**
   * Security of the Prometheus container; fields not set are the secure defaults, except user and group.
   * @default - the secure defaults as user and group 65534 (nobody, who owns /prometheus in the prom/prometheus image)
   */
  readonly security?: SecurityProps;
}

/** One scrape target: a service with a metrics endpoint, scraped on every replica. */
export interface ResolvedScrapeTarget {
  /** The scraped service, also the `job` label of its series. */
  readonly service: string;
  /** Its metrics port (container port). */
  readonly port: number;
  readonly path: string;
}

export interface ResolvedMonitoring {
  /** Name of the Prometheus server's service (one of the application's services). */
  readonly service: string;
  /** Port of the Prometheus web UI and API. */
  readonly port: number;
  readonly scrapeIntervalSeconds: number;
  /** Where the generated configuration is mounted. */
  readonly configPath: string;
  /** The TSDB directory (a persistent volume). */
  readonly storagePath: string;
  /** Every service with a metrics endpoint, in the application's service order. */
  readonly targets: ResolvedScrapeTarget[];
}

export const DEFAULT_MONITORING_IMAGE = 'prom/prometheus:v2.53.2';
export const DEFAULT_MONITORING_PORT = 9090;
export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 15;
/** prom/prometheus's `nobody`, the owner of its /prometheus (Docker copies that ownership into a new volume). */
export const MONITORING_USER = 65534;
export const MONITORING_CONFIG_PATH = '/etc/prometheus/prometheus.yml';
export const MONITORING_STORAGE_PATH = '/prometheus';
/** Longest scrape interval accepted (one hour). */
const MAX_SCRAPE_INTERVAL_SECONDS = 3600;
const MONITORING_OPTIONS: OptionNames<MonitoringProps> = {
  name: true,
  image: true,
  port: true,
  publish: true,
  scrapeIntervalSeconds: true,
  healthcheck: true,
  resources: true,
  security: true,
};

const MONITORING_SYMBOL = Symbol.for('microservice-constructs.Monitoring');

/**
 * Prometheus for the application: it scrapes every replica of every service that declares `metrics`. Kubernetes:
 * a Deployment, ConfigMap, Service and ServiceAccount, a headless Service `<service>-metrics` per scraped service and
 * NetworkPolicies that let Prometheus reach exactly the metrics ports; Docker and compose: a container on exactly the
 * networks of the scraped services. At most one per application.
 */
export class Monitoring extends Construct {
  /** Whether `x` is a Monitoring (works across copies of this package). */
  public static isMonitoring(x: unknown): x is Monitoring {
    return x !== null && typeof x === 'object' && MONITORING_SYMBOL in (x as object);
  }

  /** The properties as given. */
  public readonly props: MonitoringProps;
  /** The Prometheus server: an ordinary service of the application, so another service (a Grafana) may depend on it. */
  public readonly server: Microservice;

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    Object.defineProperty(this, MONITORING_SYMBOL, { value: true });
    if (props === null || typeof props !== 'object' || Array.isArray(props))
      throw new Error(`monitoring '${id}': props must be an object, got ${show(props)}`);
    this.props = props;
    this.server = new Microservice(this, 'server', serverProps(this, props));
  }

  /** The Prometheus server's service name. */
  public get serviceName(): string {
    return this.server.serviceName;
  }
}

/** Every Monitoring in the application's tree. @internal */
export function monitoringsOf(root: Construct): Monitoring[] {
  return root.node.findAll().filter(Monitoring.isMonitoring);
}

/** The Monitoring whose server `construct` is, if any. @internal */
export function monitoringOfServer(construct: Microservice): Monitoring | undefined {
  const parent = construct.node.scope;
  return Monitoring.isMonitoring(parent) && parent.server === construct ? parent : undefined;
}

const validPort = (n: unknown): number | undefined => (inRange(n, 1, 65535) ? (n as number) : undefined);

/** The server's port: the one home of its default (an invalid port is reported where the monitoring resolves). */
const serverPort = (p: MonitoringProps): number => validPort(p.port) ?? DEFAULT_MONITORING_PORT;

/**
 * The server's service props. Values of the wrong kind are left out here (the server gets the default) and reported,
 * with the names the user wrote, where the monitoring resolves; resources and security keep their own field names.
 */
function serverProps(m: Monitoring, p: MonitoringProps) {
  const port = serverPort(p);
  const publish = validPort(p.publish);
  const name = p.name === undefined ? serviceNameFromPath(pathBelowRoot(m)) : p.name;
  const security =
    p.security !== null && typeof p.security === 'object' && !Array.isArray(p.security)
      ? { user: MONITORING_USER, group: MONITORING_USER, ...p.security }
      : (p.security ?? { user: MONITORING_USER, group: MONITORING_USER });
  return {
    name,
    labels: { [LABEL_COMPONENT]: 'monitoring' },
    image: p.image ?? Image.fromRegistry(DEFAULT_MONITORING_IMAGE),
    // Arguments, not a command: the image's entrypoint is the prometheus binary (/bin/prometheus in prom/prometheus,
    // /usr/bin/prometheus in Debian's package). Only flags every Prometheus 2.x knows.
    args: [`--config.file=${MONITORING_CONFIG_PATH}`, `--storage.tsdb.path=${MONITORING_STORAGE_PATH}`, `--web.listen-address=:${port}`],
    ports: [{ port, name: 'http', ...(publish !== undefined ? { publish } : {}) }],
    volumes: [{ name: tsdbVolumeName(name), mountPath: MONITORING_STORAGE_PATH }],
    // The content is generated where the application resolves: it lists the services with metrics.
    configFiles: [{ mountPath: MONITORING_CONFIG_PATH, content: '' }],
    readinessProbe: Probe.http('/-/ready', { port }),
    // Docker runs its health checks inside the container, and a Prometheus image need not have wget (Debian's has none).
    healthcheck: p.healthcheck ?? Probe.none(),
    resources: p.resources,
    security,
  };
}

/** `<service>-data`, a DNS label whatever the name (a bad name is reported once, as the name). */
function tsdbVolumeName(name: unknown): string {
  return typeof name === 'string' && isDnsLabel(name) ? `${name.slice(0, 58).replace(/-+$/, '')}-data` : 'monitoring-data';
}

/**
 * Resolves the application's monitoring: `monitorings` are every Monitoring in its tree, `services` the resolved
 * services with metrics endpoints (in service order). Messages start with `monitoring '<id>': `. @internal
 */
export function resolveMonitoring(
  monitorings: readonly Monitoring[],
  appName: string,
  services: ReadonlyArray<{ readonly name: string; readonly metrics?: { readonly port: number; readonly path: string } }>,
  report: Report,
): ResolvedMonitoring | undefined {
  if (monitorings.length > 1) {
    report(
      `application '${appName}': at most one monitoring, got ${monitorings.length} ` +
        `(${monitorings.map((m) => `'${m.node.path}'`).join(', ')})`,
    );
  }
  for (const m of monitorings) {
    const at: Report = (msg) => report(msg === undefined ? undefined : `monitoring '${m.node.id}': ${msg}`);
    const p = m.props;
    unknownOptionRules(p, MONITORING_OPTIONS, undefined, at);
    if (p.port !== undefined && validPort(p.port) === undefined) at(`'port' must be an integer in 1..65535, got ${show(p.port)}`);
    if (p.publish !== undefined && validPort(p.publish) === undefined)
      at(`'publish' must be an integer in 1..65535, got ${show(p.publish)}`);
    if (p.scrapeIntervalSeconds !== undefined && !inRange(p.scrapeIntervalSeconds, 1, MAX_SCRAPE_INTERVAL_SECONDS)) {
      at(`'scrapeIntervalSeconds' must be an integer in 1..${MAX_SCRAPE_INTERVAL_SECONDS}, got ${show(p.scrapeIntervalSeconds)}`);
    }
  }
  const m = monitorings[0];
  if (!m) return undefined;
  const service = m.serviceName;
  return {
    service,
    port: serverPort(m.props),
    scrapeIntervalSeconds: inRange(m.props.scrapeIntervalSeconds, 1, MAX_SCRAPE_INTERVAL_SECONDS)
      ? m.props.scrapeIntervalSeconds!
      : DEFAULT_SCRAPE_INTERVAL_SECONDS,
    configPath: MONITORING_CONFIG_PATH,
    storagePath: MONITORING_STORAGE_PATH,
    targets: services
      .filter((s) => s.metrics && s.name !== service)
      .map((s) => ({ service: s.name, port: s.metrics!.port, path: s.metrics!.path })),
  };
}

/**
 * The Prometheus configuration of `monitoring` (YAML text). Every target is found by DNS (`dns_sd_configs`, type
 * A), so each replica is scraped; `dnsName` gives the name that resolves to all of a service's replicas in the
 * target (Docker: the service's network alias; Kubernetes: its headless metrics Service). Job = service name.
 */
export function prometheusConfig(app: string, monitoring: ResolvedMonitoring, dnsName: (target: ResolvedScrapeTarget) => string): string {
  const interval = `${monitoring.scrapeIntervalSeconds}s`;
  // Prometheus refuses a scrape timeout longer than the interval (its default timeout is 10s).
  const timeout = `${Math.min(monitoring.scrapeIntervalSeconds, 10)}s`;
  // Names and paths are written as JSON strings, which YAML reads as double-quoted scalars.
  const q = (s: string) => JSON.stringify(s);
  const jobs = monitoring.targets.flatMap((t) => [
    `  - job_name: ${q(t.service)}`,
    `    metrics_path: ${q(t.path)}`,
    '    dns_sd_configs:',
    `      - names: [${q(dnsName(t))}]`,
    '        type: A',
    `        port: ${t.port}`,
    `        refresh_interval: ${interval}`,
  ]);
  return [
    `# generated by microservice-constructs: Prometheus of application ${app}`,
    'global:',
    `  scrape_interval: ${interval}`,
    `  scrape_timeout: ${timeout}`,
    `  evaluation_interval: ${interval}`,
    jobs.length > 0 ? 'scrape_configs:' : 'scrape_configs: []',
    ...jobs,
    '',
  ].join('\n');
}

/**
 * The resolved Prometheus server `server` with its generated configuration (the config file at
 * `monitoring.configPath`), the scrape targets named by `dnsName` as in {@link prometheusConfig}. @internal
 */
export function withPrometheusConfig(
  server: ResolvedService,
  app: string,
  monitoring: ResolvedMonitoring,
  dnsName: (target: ResolvedScrapeTarget) => string,
): ResolvedService {
  const content = prometheusConfig(app, monitoring, dnsName);
  return { ...server, configFiles: server.configFiles.map((f) => (f.mountPath === monitoring.configPath ? { ...f, content } : f)) };
}
