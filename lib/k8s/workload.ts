import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedService, RestartPolicy } from '../model';
import { objectMetadata } from './metadata';
import { PlainApiObject } from './plain-api-object';
import { dropAddressLabel, setJobInstances, setNodeSelector } from './patches';
import { podSecurityContext } from './security';

/** The controller a service runs under. */
export enum WorkloadKind {
  /** A long-running stateless service, or one whose single replica owns its PersistentVolumeClaims. */
  DEPLOYMENT = 'Deployment',
  /** A long-running service that scales out and keeps a volume per replica. */
  STATEFUL_SET = 'StatefulSet',
  /** A run-to-completion task (restart policy on-failure or never, and no ports to serve). */
  JOB = 'Job',
}

/** Any of the workloads this backend renders. */
export type ServiceWorkload = kplus.Deployment | kplus.StatefulSet | kplus.Job;

function hasPersistentVolumes(svc: ResolvedService): boolean {
  return svc.volumes.some((v) => !v.scratch);
}

/**
 * Deployment, StatefulSet or Job: only replicas that may exceed one need a volume each. A service with ports serves
 * them, so a restart policy other than always does not turn it into a Job (that is reported instead).
 */
export function workloadKind(svc: ResolvedService): WorkloadKind {
  if (svc.restartPolicy !== RestartPolicy.ALWAYS && svc.ports.length === 0) return WorkloadKind.JOB;
  const mostReplicas = svc.autoscaling?.maxReplicas ?? svc.replicas;
  return mostReplicas > 1 && hasPersistentVolumes(svc) ? WorkloadKind.STATEFUL_SET : WorkloadKind.DEPLOYMENT;
}

/** Options of {@link createWorkload}. */
export interface WorkloadOptions {
  /** The headless Service governing a StatefulSet. @default - none (required for StatefulSets) */
  readonly governingService?: kplus.Service;
}

/**
 * The service's workload without containers: resolved labels on the object and the pod template, selection by
 * `selectorLabels` (not cdk8s-plus's address label), the pod security context, its own ServiceAccount (named after
 * the service; no token mounted unless `serviceAccount.automountToken`), the pod annotations and nodeSelector.
 */
export function createWorkload(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  options: WorkloadOptions = {},
): ServiceWorkload {
  // A plain object, not cdk8s-plus's ServiceAccount (a construct, lazy values and typed conversion for three
  // fields); the workload names it through a reference.
  new PlainApiObject(scope, 'ServiceAccount', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { ...objectMetadata(svc.name, svc.labels, app.namespace), annotations: nonEmpty(svc.serviceAccount.annotations) },
    automountServiceAccountToken: svc.serviceAccount.automountToken,
  });
  const serviceAccount = kplus.ServiceAccount.fromServiceAccountName(scope, 'ServiceAccountRef', svc.name);
  const common = {
    metadata: objectMetadata(svc.name, svc.labels, app.namespace),
    podMetadata: {
      labels: { ...svc.labels, ...svc.selectorLabels },
      annotations: nonEmpty({ ...svc.podAnnotations, ...metricsAnnotations(svc) }),
    },
    select: false,
    securityContext: podSecurityContext(svc.security),
    serviceAccount,
    automountServiceAccountToken: svc.serviceAccount.automountToken,
    // Unset: cdk8s-plus writes Kubernetes' own default, 30 seconds.
    terminationGracePeriod: svc.stopGracePeriodSeconds === undefined ? undefined : Duration.seconds(svc.stopGracePeriodSeconds),
  };
  // Omitted when autoscaled so the HorizontalPodAutoscaler owns the count.
  const replicas = svc.autoscaling ? undefined : svc.replicas;
  let workload: ServiceWorkload;
  switch (workloadKind(svc)) {
    case WorkloadKind.JOB:
      workload = new kplus.Job(scope, 'Job', {
        ...common,
        restartPolicy: svc.restartPolicy === RestartPolicy.NEVER ? kplus.RestartPolicy.NEVER : kplus.RestartPolicy.ON_FAILURE,
        // `never` means a failed run is not retried, not even in a new pod.
        backoffLimit: svc.restartPolicy === RestartPolicy.NEVER ? 0 : undefined,
      });
      setJobInstances(workload, svc.replicas);
      break;
    case WorkloadKind.STATEFUL_SET:
      if (!options.governingService) throw new Error(`service '${svc.name}': a StatefulSet needs its governing Service`);
      workload = new kplus.StatefulSet(scope, 'StatefulSet', { ...common, replicas, service: options.governingService });
      break;
    default:
      workload = new kplus.Deployment(scope, 'Deployment', {
        ...common,
        replicas,
        // A ReadWriteOnce claim cannot be attached to the old and the new pod at once.
        strategy: hasPersistentVolumes(svc) ? kplus.DeploymentStrategy.recreate() : undefined,
      });
  }
  if (!(workload instanceof kplus.Job)) workload.select(kplus.LabelSelector.of({ labels: svc.selectorLabels }));
  dropAddressLabel(workload);
  if (Object.keys(svc.nodeSelector).length > 0) setNodeSelector(workload, svc.nodeSelector);
  return workload;
}

function nonEmpty(map: Record<string, string>): Record<string, string> | undefined {
  return Object.keys(map).length > 0 ? map : undefined;
}

/** Prometheus scrape annotations on the pod template. */
function metricsAnnotations(svc: ResolvedService): Record<string, string> | undefined {
  if (!svc.metrics) return undefined;
  return { 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(svc.metrics.port), 'prometheus.io/path': svc.metrics.path };
}
