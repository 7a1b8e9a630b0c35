/*
 * The Kubernetes side of the application's Monitoring: the Prometheus server renders as any service (Deployment,
 * ConfigMap, Service, ServiceAccount without a token: discovery is DNS, so Prometheus never calls the API server and
 * needs no RBAC); here its configuration names the headless metrics Services, one per scraped service, which resolve
 * to every ready pod. The NetworkPolicies are in egress-policies.ts.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedService, withPrometheusConfig } from '../model';
import { metricsServiceName } from './names';
import { createMetricsService } from './service';

/**
 * `svc` as Kubernetes renders it: the monitoring server's configuration names the headless metrics Services (the
 * pod's DNS search path completes them to the application's namespace); every other service unchanged.
 */
export function kubernetesService(svc: ResolvedService, app: ResolvedApplication): ResolvedService {
  const m = app.monitoring;
  if (!m || m.service !== svc.name) return svc;
  return withPrometheusConfig(svc, app.name, m, (t) => metricsServiceName(t.service));
}

/** The headless Service `<service>-metrics` of every service the monitoring scrapes (its metrics port only). */
export function createMetricsServices(scope: Construct, app: ResolvedApplication): ApiObject[] {
  const byName = new Map(app.services.map((s) => [s.name, s]));
  return (app.monitoring?.targets ?? []).map((t) => createMetricsService(scope, byName.get(t.service)!, app));
}
