import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { EgressKind, ResolvedApplication, ResolvedService } from '../model';
import { egressPolicyName, metricsPolicyName } from './names';
import {
  cidrPeer,
  dnsPeer,
  EgressRule,
  IngressRule,
  namespacePeer,
  networkPolicy,
  podsPeer,
  policyPorts,
  Port,
  tcpPort,
} from './policy-peers';

/**
 * The service's egress policy (the default-deny policy denies all other egress): its dependencies' pods on their
 * ports, the cluster DNS on UDP and TCP 53, and its declared external destinations; the monitoring server also
 * reaches the pods it scrapes, on their metrics ports only. A host cannot be named in a NetworkPolicy: it becomes a
 * rule on its ports to any address (reported in the chart's diagnostics).
 */
export function egressPolicy(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  byName: ReadonlyMap<string, ResolvedService>,
): ApiObject {
  const dnsPorts: Port[] = [{ port: 53, protocol: 'UDP' }, tcpPort(53)];
  const egress: EgressRule[] = [{ to: [dnsPeer()], ports: dnsPorts }];
  for (const dep of svc.dependencies) {
    const target = byName.get(dep.service)!;
    egress.push({ to: [podsPeer(target)], ports: policyPorts(target.ports) });
  }
  if (app.monitoring?.service === svc.name) {
    for (const t of app.monitoring.targets) egress.push({ to: [podsPeer(byName.get(t.service)!)], ports: [tcpPort(t.port)] });
  }
  for (const e of svc.egress) {
    const ports = e.ports.length > 0 ? e.ports.map(tcpPort) : undefined;
    const cidrs = e.kind === EgressKind.CIDR ? [e.value] : ['0.0.0.0/0', '::/0'];
    for (const cidr of cidrs) egress.push({ to: [cidrPeer(cidr)], ports });
  }
  return networkPolicy(scope, `Egress:${svc.name}`, egressPolicyName(svc.name), svc.labels, app.namespace, svc.selectorLabels, {
    policyTypes: ['Egress'],
    egress,
  });
}

/**
 * Lets the scrapers reach exactly the service's metrics port: the pods of the application's monitoring namespace,
 * when set, and the application's own Prometheus (Monitoring), when there is one. None when nothing scrapes.
 */
export function metricsPolicy(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  byName: ReadonlyMap<string, ResolvedService>,
): ApiObject | undefined {
  const scraper = app.monitoring?.targets.some((t) => t.service === svc.name) ? byName.get(app.monitoring.service) : undefined;
  if (!svc.metrics || (app.monitoringNamespace === undefined && !scraper)) return undefined;
  const ports = [tcpPort(svc.metrics.port)];
  const ingress: IngressRule[] = [];
  if (app.monitoringNamespace !== undefined) ingress.push({ from: [namespacePeer(app.monitoringNamespace)], ports });
  if (scraper) ingress.push({ from: [podsPeer(scraper)], ports });
  return networkPolicy(scope, `Metrics:${svc.name}`, metricsPolicyName(svc.name), svc.labels, app.namespace, svc.selectorLabels, {
    policyTypes: ['Ingress'],
    ingress,
  });
}
