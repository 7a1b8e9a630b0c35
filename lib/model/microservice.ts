/* The Microservice construct: one service of an application, its props assembled from the concept files. */
import { Construct, IConstruct } from 'constructs';
import { Acknowledgement, acknowledgementRules } from './acknowledgements';
import { CONTAINER_OPTIONS, ContainerProps } from './container';
import { ADD_DEPENDENCY_OPTIONS, DEPENDENCY_OPTIONS, DependencyEdge, DependencyOptions, DependencyProps } from './dependencies';
import { EGRESS_PROPS_OPTIONS, EgressProps } from './egress';
import { EnvValue } from './env';
import { IDENTITY_OPTIONS, ServiceIdentityProps, serviceNameOf } from './identity';
import { LIFECYCLE_OPTIONS, LifecycleProps } from './lifecycle';
import { MetricsProps } from './metrics';
import { EXPOSURE_OPTIONS, ExposureProps, PortProps } from './ports';
import { POD_OPTIONS, PodProps } from './pod';
import { SCALING_OPTIONS, ScalingProps } from './scaling';
import { SidecarProps } from './sidecars';
import { ConfigFileProps, STORAGE_OPTIONS, StorageProps, VolumeProps } from './storage';
import { OptionNames, show, unknownOptionRules } from './validation';

/** Properties of a {@link Microservice}: its main container, and how it runs, scales, stores and connects. */
export interface MicroserviceProps
  extends
    ContainerProps,
    ServiceIdentityProps,
    ExposureProps,
    ScalingProps,
    DependencyProps,
    StorageProps,
    LifecycleProps,
    PodProps,
    EgressProps {
  /** @default [] */
  readonly sidecars?: SidecarProps[];
  /** @default - no metrics endpoint */
  readonly metrics?: MetricsProps;
}

/** Every option of a service, for the unknown-option check. @internal */
export const MICROSERVICE_OPTIONS: OptionNames<MicroserviceProps> = {
  ...CONTAINER_OPTIONS,
  ...IDENTITY_OPTIONS,
  ...EXPOSURE_OPTIONS,
  ...SCALING_OPTIONS,
  ...DEPENDENCY_OPTIONS,
  ...STORAGE_OPTIONS,
  ...LIFECYCLE_OPTIONS,
  ...POD_OPTIONS,
  ...EGRESS_PROPS_OPTIONS,
  sidecars: true,
  metrics: true,
};

const MICROSERVICE_SYMBOL = Symbol.for('microservice-constructs.Microservice');

/**
 * One service of an application: a construct, so teams compose services into reusable constructs of their own.
 */
export class Microservice extends Construct {
  /** Whether `x` is a Microservice (works across copies of this package). */
  public static isMicroservice(x: unknown): x is Microservice {
    return x !== null && typeof x === 'object' && MICROSERVICE_SYMBOL in (x as object);
  }

  /** The properties as given (read by resolve). */
  public readonly props: MicroserviceProps;
  private readonly dependencies: DependencyEdge[] = [];
  private readonly sidecarList: SidecarProps[] = [];
  private readonly acknowledgementList: Acknowledgement[] = [];
  private readonly added = {
    env: {} as Record<string, EnvValue>,
    ports: [] as PortProps[],
    volumes: [] as VolumeProps[],
    configFiles: [] as ConfigFileProps[],
  };

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, constructId(id));
    Object.defineProperty(this, MICROSERVICE_SYMBOL, { value: true });
    if (props === null || typeof props !== 'object') throw new Error(`service '${id}': props must be an object, got ${show(props)}`);
    this.props = props;
    for (const [field, list] of [
      ['dependsOn', props.dependsOn],
      ['sidecars', props.sidecars],
    ] as const) {
      if (list !== undefined && !Array.isArray(list))
        throw new Error(`service '${this.serviceName}': '${field}' must be a list, got ${show(list)}`);
    }
    for (const dep of props.dependsOn ?? []) this.addDependency(dep);
    for (const sidecar of props.sidecars ?? []) this.addSidecar(sidecar);
  }

  /** The service's name: its DNS name in every target and the name every message uses. */
  public get serviceName(): string {
    return serviceNameOf(this, this.props);
  }

  /** Declares that this service needs `service`. Rejects a second edge to the same service. */
  public addDependency(service: Microservice, options: DependencyOptions = {}): void {
    this.assertUnlocked('dependsOn');
    if (!Microservice.isMicroservice(service))
      throw new Error(`service '${this.serviceName}': 'dependsOn' must list Microservices, got ${show(service)}`);
    unknownOptionRules(options, ADD_DEPENDENCY_OPTIONS, 'addDependency', (m) => {
      if (m) throw new Error(`service '${this.serviceName}': ${m}`);
    });
    if (this.dependencies.some((d) => d.service === service)) {
      throw new Error(`service '${this.serviceName}': 'dependsOn' lists '${service.serviceName}' twice`);
    }
    this.dependencies.push({ service, condition: options.condition, wait: options.wait });
  }

  /** Silences warning `id` (shown at the end of the warning) for this service, with the reason it may stand. */
  public acknowledge(id: string, why: string): void {
    const problem = acknowledgementRules(id, why, `service '${this.serviceName}'`);
    if (problem) throw new Error(problem);
    this.acknowledgementList.push({ id, reason: why, service: this.serviceName });
  }

  /** This service's acknowledgements, in order. */
  public get acknowledgements(): readonly Acknowledgement[] {
    return [...this.acknowledgementList];
  }

  /** Adds environment variable `name` to the main container. Rejects a name the service already sets. */
  public addEnv(name: string, value: EnvValue): void {
    this.assertUnlocked('env');
    if (name in (this.props.env ?? {}) || name in this.added.env)
      throw new Error(`service '${this.serviceName}': 'env' sets ${show(name)} already`);
    this.added.env[name] = value;
  }

  /** Adds a port. Rejects a port number (per protocol) or name the service already declares. */
  public addPort(port: PortProps): void {
    this.assertUnlocked('ports');
    const same = [...(this.props.ports ?? []), ...this.added.ports].find(
      (p) =>
        (p.port === port?.port && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) || (port?.name !== undefined && p.name === port.name),
    );
    if (same)
      throw new Error(
        `service '${this.serviceName}': 'ports' declares ` +
          `${same.port === port.port ? `port ${port.port}` : `port name ${show(port.name)}`} already`,
      );
    this.added.ports.push(port);
  }

  /** Adds a volume. Rejects a volume name or mount path the service already uses. */
  public addVolume(volume: VolumeProps): void {
    this.assertUnlocked('volumes');
    const same = [...(this.props.volumes ?? []), ...this.added.volumes].find(
      (v) => v.name === volume?.name || v.mountPath === volume?.mountPath,
    );
    if (same)
      throw new Error(
        `service '${this.serviceName}': 'volumes' has ` +
          `${same.name === volume.name ? `volume ${show(volume.name)}` : `mount path ${show(volume.mountPath)}`} already`,
      );
    this.added.volumes.push(volume);
  }

  /** Adds a config file. Rejects a mount path another config file already uses. */
  public addConfigFile(file: ConfigFileProps): void {
    this.assertUnlocked('configFiles');
    if ([...(this.props.configFiles ?? []), ...this.added.configFiles].some((f) => f.mountPath === file?.mountPath)) {
      throw new Error(`service '${this.serviceName}': 'configFiles' mounts ${show(file.mountPath)} already`);
    }
    this.added.configFiles.push(file);
  }

  /** The props as given plus what the mutators added (read by resolve). @internal */
  public get definition(): MicroserviceProps {
    const a = this.added;
    if (Object.keys(a.env).length + a.ports.length + a.volumes.length + a.configFiles.length === 0) return this.props;
    const p = this.props;
    return {
      ...p,
      ...(Object.keys(a.env).length > 0 ? { env: { ...p.env, ...a.env } } : {}),
      ...(a.ports.length > 0 ? { ports: [...(p.ports ?? []), ...a.ports] } : {}),
      ...(a.volumes.length > 0 ? { volumes: [...(p.volumes ?? []), ...a.volumes] } : {}),
      ...(a.configFiles.length > 0 ? { configFiles: [...(p.configFiles ?? []), ...a.configFiles] } : {}),
    };
  }

  /** Adds a sidecar container. Rejects a duplicate sidecar name. */
  public addSidecar(sidecar: SidecarProps): void {
    this.assertUnlocked('sidecars');
    if (this.sidecarList.some((s) => s.name === sidecar.name)) {
      throw new Error(`service '${this.serviceName}': 'sidecars' has '${sidecar.name}' twice`);
    }
    this.sidecarList.push(sidecar);
  }

  private assertUnlocked(field: string): void {
    if (this.node.locked)
      throw new Error(`service '${this.serviceName}': '${field}' cannot change after the application is locked for synthesis`);
  }

  /**
   * The dependencies, in order: the declared ones, then the services its variables (main container's, then the
   * sidecars') refer to with `EnvValue.fromEndpoint`.
   */
  public get dependsOn(): readonly DependencyEdge[] {
    const edges = [...this.dependencies];
    for (const env of [this.props.env, this.added.env, ...this.sidecarList.map((sc) => sc.env)]) {
      for (const v of Object.values(env ?? {})) {
        const service = v instanceof EnvValue ? v.endpoint?.service : undefined;
        if (service && service !== this && Microservice.isMicroservice(service) && !edges.some((e) => e.service === service))
          edges.push({ service });
      }
    }
    return edges;
  }

  /** The sidecars, in order. */
  public get sidecars(): readonly SidecarProps[] {
    return [...this.sidecarList];
  }
}

/**
 * The constructs library keeps children in a plain object, so an id that names an Object.prototype member
 * ('constructor', 'toString') reads as taken; say so instead of its "already a Construct" message.
 */
function constructId(id: string): string {
  if (typeof id === 'string' && id in Object.prototype) {
    throw new Error(
      `service '${id}': the construct id ${show(id)} is reserved by JavaScript objects; use another id and set name: ${show(id)}`,
    );
  }
  return id;
}

/** All microservices below `scope`, in construct-tree order. */
export function findMicroservices(scope: IConstruct): Microservice[] {
  return scope.node.findAll().filter(Microservice.isMicroservice);
}
