/*
 * The resolved model: plain data with every default applied, validated, dependencies ordered. Backends are pure
 * functions of this shape; every decision two backends share is made here or in the helpers next to it.
 */
import { DependencyCondition, Protocol, RestartPolicy, ServiceType } from './enums';
import { EnvSource } from './env-value';
import { ProbeKind } from './probe';

export interface ResolvedImage {
  /** Reference to run (registry reference after `imageOverrides`, or the build tag). */
  readonly reference: string;
  /** Build settings; `context` is an absolute path. */
  readonly build?: {
    readonly context: string;
    readonly dockerfile: string;
    readonly buildArgs: Record<string, string>;
    readonly target?: string;
  };
}

export interface ResolvedPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly appProtocol?: string;
  readonly publish?: number;
}

export interface ResolvedEnvVar {
  readonly name: string;
  readonly source: EnvSource;
  /** Plain value (VALUE), or the config value (CONFIG, inlined by Docker targets). */
  readonly value?: string;
  /** Secret reference (SECRET). */
  readonly secret?: ResolvedSecretRef;
  /** Application config key (CONFIG). */
  readonly configKey?: string;
}

export interface ResolvedSecretRef {
  readonly name: string;
  readonly key: string;
  /** Pulumi config key holding the value (`pulumi config set --secret <configKey>`). */
  readonly configKey: string;
  /** Variable compose interpolates the value from (`${VAR}` from the shell or `.env`). */
  readonly variable: string;
}

export interface ResolvedDependency {
  /** Name of the service depended on. */
  readonly service: string;
  readonly condition: DependencyCondition;
  /** Host, port and env prefix dependents get. */
  readonly host: string;
  readonly port: number;
  readonly envPrefix: string;
}

export interface ResolvedVolume {
  readonly name: string;
  readonly mountPath: string;
  readonly size: string;
  readonly scratch: boolean;
  readonly readOnly: boolean;
}

export interface ResolvedConfigFile {
  /** Stable file id unique in the service (`<service>-<n>`), for ConfigMap keys and file names. */
  readonly id: string;
  readonly fileName: string;
  readonly mountPath: string;
  readonly content: string;
}

export interface ResolvedSecretFile {
  readonly secret: ResolvedSecretRef;
  readonly mountPath: string;
}

export interface ResolvedProbe {
  readonly kind: ProbeKind;
  readonly port?: number;
  readonly path?: string;
  readonly command?: string[];
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface ResolvedResources {
  readonly cpuRequestMillis: number;
  readonly cpuLimitMillis: number;
  readonly memoryRequestMiB: number;
  readonly memoryLimitMiB: number;
}

export interface ResolvedSecurity {
  readonly user: number;
  readonly group: number;
  readonly runAsNonRoot: boolean;
  readonly readOnlyRootFilesystem: boolean;
  readonly writablePaths: string[];
  readonly allowPrivilegeEscalation: boolean;
  readonly capabilitiesDrop: string[];
  readonly capabilitiesAdd: string[];
}

export interface ResolvedContainer {
  readonly name: string;
  readonly image: ResolvedImage;
  readonly command?: string[];
  readonly args?: string[];
  readonly env: ResolvedEnvVar[];
  readonly ports: ResolvedPort[];
  readonly resources: ResolvedResources;
  readonly security: ResolvedSecurity;
}

export interface ResolvedService extends ResolvedContainer {
  /** Construct path below the application (for messages). */
  readonly path: string;
  /** `<DEP>` prefix of the variables dependents get, e.g. `USER_DB`. */
  readonly envPrefix: string;
  /** Fixed count; with autoscaling, its minReplicas. */
  readonly replicas: number;
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly targetCpuPercent: number };
  /** Declared dependencies, in declaration order (their env vars are already in `env`). */
  readonly dependencies: ResolvedDependency[];
  /** Names of the services that depend on this one. */
  readonly dependents: string[];
  readonly volumes: ResolvedVolume[];
  readonly configFiles: ResolvedConfigFile[];
  readonly secretFiles: ResolvedSecretFile[];
  readonly livenessProbe?: ResolvedProbe;
  readonly readinessProbe?: ResolvedProbe;
  readonly startupProbe?: ResolvedProbe;
  /** The Docker health check source (explicit, else readiness, else liveness). */
  readonly healthcheck?: ResolvedProbe;
  readonly restartPolicy: RestartPolicy;
  /** Signal that stops the main container; undefined: the image's STOPSIGNAL, else SIGTERM. */
  readonly stopSignal?: string;
  /** Seconds the service's containers get to exit when stopped; undefined: each target's own default. */
  readonly stopGracePeriodSeconds?: number;
  /** Standard and user labels of this service's objects. */
  readonly labels: Record<string, string>;
  /** Labels that select this service's pods/containers. */
  readonly selectorLabels: Record<string, string>;
  readonly sidecars: ResolvedContainer[];
  readonly metrics?: { readonly port: number; readonly path: string };
  readonly serviceType: ServiceType;
  /** Whether the gateway routes to this service. */
  readonly routed: boolean;
}

export interface ResolvedRoute {
  readonly path: string;
  readonly service: string;
  readonly port: number;
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

export interface ResolvedLogging {
  readonly driver: string;
  readonly options: Record<string, string>;
}

export interface ResolvedApplication {
  readonly name: string;
  readonly namespace?: string;
  /** Labels on every object (standard part-of/managed-by plus the user's). */
  readonly labels: Record<string, string>;
  /** Services, dependencies before dependents (stable topological order). */
  readonly services: ResolvedService[];
  readonly gateway?: ResolvedGateway;
  readonly config: Record<string, string>;
  readonly waitImage: string;
  readonly logging: ResolvedLogging;
}
