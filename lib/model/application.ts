/* The Application construct: the root of a microservice application and the defaults every service inherits. */
import { Construct, IConstruct } from 'constructs';
import { Acknowledgement, acknowledgementRules } from './acknowledgements';
import { applicationLabels, labelRules } from './identity';
import { referenceRules } from './image';
import { isDnsLabel } from './names';
import { publishAddressRule } from './ports';
import { ResolvedApplication } from './resolved';
import { resolveApplication } from './resolve';
import { ResourcesProps, resourcesRules } from './resources';
import {
  admits,
  brokenPodSecurity,
  DEFAULT_SECURITY,
  PodSecurityLevel,
  podSecurityViolations,
  ResolvedSecurity,
  resolveSecurity,
  SecurityProps,
} from './security';
import { OptionNames, Report, show, unknownOptionRules } from './validation';

/** Logging of Docker containers (Kubernetes leaves logs to the node's runtime). */
export interface LoggingProps {
  /** @default 'json-file' */
  readonly driver?: string;
  /** @default { 'max-size': '10m', 'max-file': '3' } for json-file */
  readonly options?: Record<string, string>;
}

/** Properties of an {@link Application}; all are application-wide defaults services inherit. */
export interface ApplicationProps {
  /**
   * Kubernetes namespace of every object.
   * @default - none (the kubectl context's namespace)
   */
  readonly namespace?: string;
  /** Labels on every object. @default {} */
  readonly labels?: Record<string, string>;
  /** Security defaults for every service. @default - secure defaults (see SecurityProps) */
  readonly security?: SecurityProps;
  /** Resource defaults for every service. @default - 100m/500m cpu, 128Mi/256Mi memory */
  readonly resources?: ResourcesProps;
  /**
   * Replace registry image references, e.g. to point at a private registry or at locally built images:
   * `{ 'redis:7-alpine': 'registry.local/redis:7-alpine' }`.
   * @default {}
   */
  readonly imageOverrides?: Record<string, string>;
  /**
   * Shared configuration values, referenced with `EnvValue.fromConfig(key)` (one ConfigMap in Kubernetes).
   * @default {}
   */
  readonly config?: Record<string, string>;
  /**
   * Image of the Kubernetes init containers that wait for dependencies (needs `nc`).
   * @default 'busybox:1.36.1'
   */
  readonly waitImage?: string;
  /** Docker logging. @default - json-file, 10m x 3 */
  readonly logging?: LoggingProps;
  /**
   * The Pod Security Standards profile the rendered Namespace enforces (label
   * `pod-security.kubernetes.io/enforce`); every service must meet it. `PodSecurityLevel.PRIVILEGED` opts out.
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
  /**
   * Render the Namespace object (with the `podSecurity` label) when `namespace` is set. Turn it off to deploy into a
   * namespace someone else owns: the objects still name it, and its own Pod Security label applies.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * Host address published ports listen on in Docker targets (a port's own `publishAddress` wins): '0.0.0.0'
   * exposes them on every interface of the host, which `docker run -p` does by default.
   * @default '127.0.0.1' - the Docker host only
   */
  readonly publishAddress?: string;
  /**
   * Kubernetes namespace of the monitoring (Prometheus) that scrapes the services' `metrics` endpoints: its pods
   * may reach exactly the metrics ports, through the default-deny NetworkPolicy.
   * @default - none: nothing may scrape (reported for every service with metrics)
   */
  readonly monitoringNamespace?: string;
}

export interface ResolvedLogging {
  readonly driver: string;
  readonly options: Record<string, string>;
}

export const DEFAULT_LOGGING: ResolvedLogging = {
  driver: 'json-file',
  options: { 'max-size': '10m', 'max-file': '3' },
};
export const DEFAULT_WAIT_IMAGE = 'busybox:1.36.1';
/** Most services in one application (resolution is linear; this bounds hostile input). */
export const MAX_SERVICES = 10000;

const APPLICATION_OPTIONS: OptionNames<ApplicationProps> = {
  namespace: true,
  labels: true,
  security: true,
  resources: true,
  imageOverrides: true,
  config: true,
  waitImage: true,
  logging: true,
  podSecurity: true,
  createNamespace: true,
  publishAddress: true,
  monitoringNamespace: true,
};
const LOGGING_OPTIONS: OptionNames<LoggingProps> = { driver: true, options: true };

/** The application-wide settings, resolved: what services inherit and what the application itself renders. @internal */
export interface ApplicationSettings {
  readonly namespace?: string;
  readonly labels: Record<string, string>;
  readonly security: ResolvedSecurity;
  readonly config: Record<string, string>;
  readonly waitImage: string;
  readonly logging: ResolvedLogging;
  readonly podSecurity: PodSecurityLevel;
  /** Whether the Namespace object is rendered (only when `namespace` is set). */
  readonly createNamespace: boolean;
  readonly publishAddress?: string;
  readonly monitoringNamespace?: string;
}

/** Resolves the application's own settings; `report` gets the identity rules, `reportSettings` the rest. @internal */
export function resolveApplicationSettings(app: Application, report: Report, reportSettings: Report): ApplicationSettings {
  const p = app.props;
  if (!isDnsLabel(app.name)) report(`application: 'name' must be a DNS-1123 label, got ${show(app.name)}`);
  if (p.namespace !== undefined && !isDnsLabel(p.namespace))
    report(`application '${app.name}': 'namespace' must be a DNS-1123 label, got ${show(p.namespace)}`);
  const at: Report = (m) => reportSettings(m === undefined ? undefined : `application '${app.name}': ${m}`);
  unknownOptionRules(p, APPLICATION_OPTIONS, undefined, at);
  unknownOptionRules(p.logging, LOGGING_OPTIONS, 'logging', at);
  if (p.logging?.driver !== undefined && !(typeof p.logging.driver === 'string' && /^[a-z0-9][-a-z0-9_.]*$/.test(p.logging.driver))) {
    at(`'logging.driver' must be a Docker logging driver name like json-file or local, got ${show(p.logging.driver)}`);
  }
  resourcesRules(p.resources, 'resources', at);
  const security = resolveSecurity(DEFAULT_SECURITY, p.security, 'security', at);
  labelRules(p.labels, 'labels', at);
  for (const k of Object.keys(p.config ?? {}))
    if (!/^[-._a-zA-Z0-9]+$/.test(k)) at(`'config' key must match [-._a-zA-Z0-9]+, got ${show(k)}`);
  for (const [from, to] of Object.entries(p.imageOverrides ?? {})) referenceRules(to, `imageOverrides[${from}]`, false, at);
  if (p.waitImage !== undefined) referenceRules(p.waitImage, 'waitImage', false, at);
  if (p.podSecurity !== undefined && !Object.values(PodSecurityLevel).includes(p.podSecurity)) {
    at(`'podSecurity' must be one of ${Object.values(PodSecurityLevel).join(', ')}, got ${show(p.podSecurity)}`);
  }
  publishAddressRule(p.publishAddress, 'publishAddress', at);
  if (p.createNamespace !== undefined && typeof p.createNamespace !== 'boolean')
    at(`'createNamespace' must be a boolean, got ${show(p.createNamespace)}`);
  if (p.monitoringNamespace !== undefined && !isDnsLabel(p.monitoringNamespace))
    at(`'monitoringNamespace' must be a DNS-1123 label, got ${show(p.monitoringNamespace)}`);
  const driver = p.logging?.driver ?? DEFAULT_LOGGING.driver;
  return {
    namespace: p.namespace,
    labels: applicationLabels(app.name, p.labels),
    security,
    config: { ...(p.config ?? {}) },
    waitImage: p.waitImage ?? DEFAULT_WAIT_IMAGE,
    logging: { driver, options: p.logging?.options ?? (p.logging?.driver && driver !== 'json-file' ? {} : DEFAULT_LOGGING.options) },
    podSecurity: p.podSecurity ?? PodSecurityLevel.RESTRICTED,
    createNamespace: p.namespace !== undefined && (p.createNamespace ?? true),
    publishAddress: p.publishAddress,
    monitoringNamespace: p.monitoringNamespace,
  };
}

/**
 * The Namespace the application renders enforces `podSecurity`: a container that breaks it would be rejected by
 * the API server, so it is an error here. `containers` lists [where, security] of every container. @internal
 */
export function podSecurityAdmissionRules(
  settings: ApplicationSettings,
  containers: Array<[string, ResolvedSecurity]>,
  report: Report,
): void {
  // Someone else's Namespace enforces its own level, which the model cannot see.
  if (!settings.createNamespace) return;
  for (const [where, security] of containers) {
    const broken = brokenPodSecurity(security);
    if (admits(settings.podSecurity, broken)) continue;
    const reasons = podSecurityViolations(security)
      .filter((v) => v.level === broken)
      .map((v) => v.reason)
      .join(', ');
    report(
      `${where} breaks the ${broken} Pod Security profile (${reasons}) that namespace '${settings.namespace}' enforces: set the ` +
        `application's podSecurity to a profile it meets`,
    );
  }
}

const APPLICATION_SYMBOL = Symbol.for('microservice-constructs.Application');

/** The root of one microservice application; every Microservice below it belongs to it. */
export class Application extends Construct {
  public static isApplication(x: unknown): x is Application {
    return x !== null && typeof x === 'object' && APPLICATION_SYMBOL in (x as object);
  }

  /** The Application that `construct` belongs to. */
  public static of(construct: IConstruct): Application {
    const root = construct.node.root;
    if (!Application.isApplication(root)) {
      throw new Error(`construct '${construct.node.path}' is not inside an Application`);
    }
    return root;
  }

  /** Application name, a DNS-1123 label. */
  public readonly name: string;
  public readonly props: ApplicationProps;

  constructor(name: string, props: ApplicationProps = {}) {
    // A root construct: scope undefined, as cdk8s's App does.
    super(undefined as unknown as Construct, name);
    Object.defineProperty(this, APPLICATION_SYMBOL, { value: true });
    this.name = name;
    this.props = props;
  }

  private resolved?: ResolvedApplication;
  private readonly acknowledgementList: Acknowledgement[] = [];

  /**
   * Silences warning `id` (shown at the end of the warning, e.g. 'docker-livenessProbe') for every service, with
   * the reason it may stand. `Microservice.acknowledge` does it for one service.
   */
  public acknowledge(id: string, why: string): void {
    const problem = acknowledgementRules(id, why, `application '${this.name}'`);
    if (problem) throw new Error(problem);
    this.acknowledgementList.push({ id, reason: why });
  }

  /** The application-wide acknowledgements, in order. */
  public get acknowledgements(): readonly Acknowledgement[] {
    return [...this.acknowledgementList];
  }

  /**
   * Validates the whole application and returns the plain model every backend renders. Once the tree is locked
   * (`app.node.lock()`, as synth does before rendering every target) it cannot change, so the model is computed once.
   */
  public resolve(): ResolvedApplication {
    if (!this.node.locked) return resolveApplication(this);
    this.resolved ??= resolveApplication(this);
    return this.resolved;
  }
}
