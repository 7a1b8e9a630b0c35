import { Construct, IConstruct } from 'constructs';
import { DependencyCondition, Protocol, RestartPolicy, ServiceType } from './enums';
import { EnvValue } from './env-value';
import { Image } from './image';
import { Probe } from './probe';
import { ResourcesProps } from './resources';
import { SecurityProps } from './security';

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
}

/** A volume mounted into the service. */
export interface VolumeProps {
  /** Volume name, a DNS-1123 label unique in the application. */
  readonly name: string;
  /** Absolute path inside the container. */
  readonly mountPath: string;
  /**
   * Requested size of a persistent volume (Kubernetes quantity).
   * @default '1Gi'
   */
  readonly size?: string;
  /**
   * A scratch volume lives and dies with the container (emptyDir / tmpfs) instead of persisting.
   * @default false
   */
  readonly scratch?: boolean;
  /** @default false */
  readonly readOnly?: boolean;
}

/** A file mounted read-only into the container. */
export interface ConfigFileProps {
  /** Absolute path of the file inside the container. */
  readonly mountPath: string;
  /** File content (not secret: it is written to the outputs). */
  readonly content: string;
}

/** A secret key mounted as a file. */
export interface SecretFileProps {
  /** Secret name. */
  readonly secretName: string;
  /** Key inside the secret. */
  readonly key: string;
  /** Absolute path of the file inside the container. */
  readonly mountPath: string;
}

/** Autoscaling on CPU. */
export interface AutoscalingProps {
  /** Fewest replicas, >= 1. */
  readonly minReplicas: number;
  /** Most replicas, >= minReplicas. */
  readonly maxReplicas: number;
  /**
   * Target average CPU utilisation in percent of the request.
   * @default 80
   */
  readonly targetCpuPercent?: number;
}

/** A Prometheus metrics endpoint. */
export interface MetricsProps {
  /** Port serving metrics; one of the service's ports. */
  readonly port: number;
  /** @default '/metrics' */
  readonly path?: string;
}

/** A helper container next to the main one, sharing its network namespace (the seeds' sidecar proxy). */
export interface SidecarProps {
  /** Container name, a DNS-1123 label unique within the service. */
  readonly name: string;
  readonly image: Image;
  /** @default - the image's entrypoint */
  readonly command?: string[];
  /** @default - the image's cmd */
  readonly args?: string[];
  /** @default {} */
  readonly env?: Record<string, EnvValue>;
  /**
   * Ports the sidecar listens on (they share the service's network namespace, so they must not clash).
   * @default []
   */
  readonly ports?: PortProps[];
  /** @default - the service's defaults */
  readonly resources?: ResourcesProps;
  /** @default - the service's security */
  readonly security?: SecurityProps;
}

/** Options of {@link Microservice.addDependency}. */
export interface DependencyOptions {
  /**
   * When the dependent may start.
   * @default DependencyCondition.HEALTHY when the dependency has a health check, else STARTED
   */
  readonly condition?: DependencyCondition;
}

/** Properties of a {@link Microservice}. */
export interface MicroserviceProps {
  /** The container image. */
  readonly image: Image;
  /**
   * Service name, a DNS-1123 label unique in the application; also its DNS name in every target.
   * @default - derived from the construct path below the application
   */
  readonly name?: string;
  /** @default [] */
  readonly ports?: PortProps[];
  /** @default {} */
  readonly env?: Record<string, EnvValue>;
  /**
   * Number of instances. Omitted in Kubernetes when autoscaled.
   * @default 1 (or autoscaling.minReplicas)
   */
  readonly replicas?: number;
  /**
   * Services this one needs; each gives `<DEP>_HOST`, `<DEP>_PORT` (and `<DEP>_URL`) variables and may reach
   * only them. Use `addDependency` to choose the start condition.
   * @default []
   */
  readonly dependsOn?: Microservice[];
  /** @default [] */
  readonly volumes?: VolumeProps[];
  /** @default [] */
  readonly configFiles?: ConfigFileProps[];
  /** @default [] */
  readonly secretFiles?: SecretFileProps[];
  /** @default - none */
  readonly livenessProbe?: Probe;
  /** @default - none */
  readonly readinessProbe?: Probe;
  /** @default - none */
  readonly startupProbe?: Probe;
  /**
   * The Docker health check (Docker has one). Needed when the readiness/liveness probe cannot be expressed in
   * Docker (gRPC) or the image lacks `wget`/`nc` for http/tcp probes.
   * @default - derived from the readiness probe, else the liveness probe
   */
  readonly healthcheck?: Probe;
  /** Overrides the image's entrypoint. @default - image entrypoint */
  readonly command?: string[];
  /** Overrides the image's cmd. @default - image cmd */
  readonly args?: string[];
  /** @default - application defaults */
  readonly resources?: ResourcesProps;
  /** @default - no autoscaling */
  readonly autoscaling?: AutoscalingProps;
  /** @default RestartPolicy.ALWAYS */
  readonly restartPolicy?: RestartPolicy;
  /**
   * Signal that stops the main container, e.g. 'SIGINT' for a process that ignores SIGTERM (python as PID 1).
   * Docker and compose send it; Kubernetes always sends SIGTERM, so there it is reported (make the process exit
   * on SIGTERM, or stop it from a preStop hook).
   * @default - the image's STOPSIGNAL, else SIGTERM
   */
  readonly stopSignal?: string;
  /**
   * Seconds a stopping container (and its sidecars) gets to exit before it is killed: Docker's stop timeout,
   * compose's `stop_grace_period`, Kubernetes' `terminationGracePeriodSeconds`.
   * @default - each target's own: 10 in Docker and compose, 30 in Kubernetes
   */
  readonly stopGracePeriodSeconds?: number;
  /** Extra labels on every object of this service. @default {} */
  readonly labels?: Record<string, string>;
  /** @default - application security defaults */
  readonly security?: SecurityProps;
  /** @default [] */
  readonly sidecars?: SidecarProps[];
  /** @default - no metrics endpoint */
  readonly metrics?: MetricsProps;
  /** Kubernetes Service type. @default ServiceType.CLUSTER_IP */
  readonly serviceType?: ServiceType;
}

/** A declared dependency edge. */
export interface DependencyEdge {
  readonly service: Microservice;
  readonly condition?: DependencyCondition;
}

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

  constructor(scope: Construct, id: string, props: MicroserviceProps) {
    super(scope, id);
    Object.defineProperty(this, MICROSERVICE_SYMBOL, { value: true });
    this.props = props;
    for (const dep of props.dependsOn ?? []) this.addDependency(dep);
    for (const sidecar of props.sidecars ?? []) this.addSidecar(sidecar);
  }

  /** Declares that this service needs `service`. Rejects a second edge to the same service. */
  public addDependency(service: Microservice, options: DependencyOptions = {}): void {
    this.assertUnlocked('dependsOn');
    if (this.dependencies.some((d) => d.service === service)) {
      throw new Error(`service '${this.node.path}': 'dependsOn' lists '${service.node.path}' twice`);
    }
    this.dependencies.push({ service, condition: options.condition });
  }

  /** Adds a sidecar container. Rejects a duplicate sidecar name. */
  public addSidecar(sidecar: SidecarProps): void {
    this.assertUnlocked('sidecars');
    if (this.sidecarList.some((s) => s.name === sidecar.name)) {
      throw new Error(`service '${this.node.path}': 'sidecars' has '${sidecar.name}' twice`);
    }
    this.sidecarList.push(sidecar);
  }

  private assertUnlocked(field: string): void {
    if (this.node.locked) throw new Error(`service '${this.node.path}': '${field}' cannot change after the application is locked for synthesis`);
  }

  /** The declared dependencies, in order. */
  public get dependsOn(): readonly DependencyEdge[] {
    return [...this.dependencies];
  }

  /** The sidecars, in order. */
  public get sidecars(): readonly SidecarProps[] {
    return [...this.sidecarList];
  }
}

/** All microservices below `scope`, in construct-tree order. */
export function findMicroservices(scope: IConstruct): Microservice[] {
  return scope.node.findAll().filter(Microservice.isMicroservice);
}
