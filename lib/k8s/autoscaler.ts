import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedService } from '../model';
import { objectMetadata } from './metadata';

/**
 * An autoscaling/v2 HorizontalPodAutoscaler on average CPU utilisation, named after the service. The typed
 * ApiObject, not cdk8s-plus's HorizontalPodAutoscaler: that one adds scale-up/scale-down policies of its own,
 * while the model asks for Kubernetes' default behaviour.
 */
export function createAutoscaler(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  workload: kplus.Deployment | kplus.StatefulSet,
): kplus.k8s.KubeHorizontalPodAutoscalerV2 | undefined {
  const scaling = svc.autoscaling;
  if (!scaling) return undefined;
  // The workload then leaves spec.replicas to the autoscaler.
  workload.markHasAutoscaler();
  const target = workload.toScalingTarget();
  return new kplus.k8s.KubeHorizontalPodAutoscalerV2(scope, 'Autoscaler', {
    metadata: objectMetadata(svc.name, svc.labels, app.namespace),
    spec: {
      scaleTargetRef: { apiVersion: target.apiVersion, kind: target.kind, name: target.name },
      minReplicas: scaling.minReplicas,
      maxReplicas: scaling.maxReplicas,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: scaling.targetCpuPercent } } },
      ],
    },
  });
}
