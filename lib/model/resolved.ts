/*
 * The resolved model: plain data with every default applied, validated, dependencies ordered. Backends are pure
 * functions of this shape. Each part is declared in its concept file; this file only assembles them.
 */
import type { Acknowledgement } from './acknowledgements';
import type { ResolvedLogging } from './application';
import type { ResolvedContainer } from './container';
import type { ResolvedDependency } from './dependencies';
import type { ResolvedEgress } from './egress';
import type { ResolvedGateway } from './gateway';
import type { ResolvedServiceIdentity } from './identity';
import type { ResolvedLifecycle } from './lifecycle';
import type { ResolvedMetrics } from './metrics';
import type { ResolvedMonitoring } from './monitoring';
import type { ResolvedPod } from './pod';
import type { ResolvedExposure } from './ports';
import type { ResolvedProbes } from './probes';
import type { ResolvedScaling } from './scaling';
import type { PodSecurityLevel } from './security';
import type { ResolvedStorage } from './storage';

export interface ResolvedService
  extends
    ResolvedServiceIdentity,
    ResolvedContainer,
    ResolvedScaling,
    ResolvedStorage,
    ResolvedProbes,
    ResolvedLifecycle,
    ResolvedExposure,
    ResolvedPod {
  /** Service name (also the main container's name). */
  readonly name: string;
  /** Declared dependencies, in declaration order (their env vars are already in `env`). */
  readonly dependencies: ResolvedDependency[];
  /** Names of the services that depend on this one. */
  readonly dependents: string[];
  readonly sidecars: ResolvedContainer[];
  readonly metrics?: ResolvedMetrics;
  /** Whether the gateway routes to this service. */
  readonly routed: boolean;
  /** External destinations the service may reach (its dependencies and DNS are implied). */
  readonly egress: ResolvedEgress[];
}

export interface ResolvedApplication {
  readonly name: string;
  readonly namespace?: string;
  /** Labels on every object (standard part-of/managed-by plus the user's). */
  readonly labels: Record<string, string>;
  /** Services, dependencies before dependents (stable topological order). */
  readonly services: ResolvedService[];
  readonly gateway?: ResolvedGateway;
  /** The Prometheus of the application's Monitoring (its server is one of `services`) and what it scrapes. */
  readonly monitoring?: ResolvedMonitoring;
  readonly config: Record<string, string>;
  readonly waitImage: string;
  readonly logging: ResolvedLogging;
  /** Warnings acknowledged for the application or one service; backends leave them out of their diagnostics. */
  readonly acknowledgements: Acknowledgement[];
  /** The Pod Security Standards profile the application's Namespace enforces. */
  readonly podSecurity: PodSecurityLevel;
  /** Whether the Kubernetes output holds the Namespace object (`namespace` set and `createNamespace` not off). */
  readonly createNamespace: boolean;
  /** Host address of published ports in Docker targets, when the application sets one (the Docker plan decides the default). */
  readonly publishAddress?: string;
  /** Namespace whose pods may scrape the metrics ports (Kubernetes). */
  readonly monitoringNamespace?: string;
}
