import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedContainer, ResolvedService } from '../model';
import { createAutoscaler } from './autoscaler';
import { filesConfigMap } from './config-maps';
import { containerProps } from './container';
import { addClaimTemplates, addContainerProbes } from './patches';
import { applyPodSecurity } from './pod-security';
import { containerProbes, patchedProbes } from './probes';
import { References } from './references';
import { createGoverningService, createService } from './service';
import { addWaitContainers } from './wait-for';
import { podStorage } from './volumes';
import { createWorkload, ServiceWorkload, WorkloadKind, workloadKind } from './workload';

/** The Kubernetes objects of one microservice, as cdk8s(-plus) constructs. */
export interface MicroserviceObjects {
  readonly workload: ServiceWorkload;
  /** The Service named after the microservice. @default - none: the service has no ports */
  readonly service?: ApiObject;
  /** A StatefulSet's headless Service. @default - none: not a StatefulSet */
  readonly governingService?: kplus.Service;
  /** The HorizontalPodAutoscaler. @default - none: not autoscaled */
  readonly autoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
  /** The ConfigMap of the service's config files. @default - none: no config files */
  readonly files?: kplus.ConfigMap;
}

/**
 * Renders one service: its config-file ConfigMap and claims, its Service, the workload with the main container
 * first, then the sidecars, one wait-for init container per dependency, and its autoscaler.
 */
export function renderMicroservice(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  refs: References,
): MicroserviceObjects {
  const kind = workloadKind(svc);
  const files = filesConfigMap(scope, svc, app);
  const storage = podStorage(scope, svc, app, refs, { files, claimTemplates: kind === WorkloadKind.STATEFUL_SET });
  const service = createService(scope, svc, app);
  const governingService = kind === WorkloadKind.STATEFUL_SET ? createGoverningService(scope, svc, app) : undefined;
  const workload = createWorkload(scope, svc, app, { governingService });
  // Container `index` of the pod (0 the main one, then the sidecars), with its probes and mounts.
  const addContainer = (c: ResolvedContainer, index: number, volumeMounts: kplus.VolumeMount[] | undefined) => {
    workload.addContainer(containerProps(c, refs, { ...containerProbes(c), volumeMounts }));
    addContainerProbes(workload, index, patchedProbes(c));
  };
  addContainer(svc, 0, storage.main);
  svc.sidecars.forEach((sc, i) => addContainer(sc, i + 1, storage.sidecars.get(sc.name)));
  addWaitContainers(workload, svc, app, refs);
  applyPodSecurity(workload, svc);
  if (workload instanceof kplus.StatefulSet) addClaimTemplates(workload, storage.claimTemplates);
  const autoscaler = workload instanceof kplus.Job ? undefined : createAutoscaler(scope, svc, app, workload);
  return { workload, service, governingService, autoscaler, files };
}
