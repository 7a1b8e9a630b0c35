import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EgressKind, Protocol, ResolvedApplication, ResolvedPort, ResolvedService } from '../model';
import { objectMetadata } from './metadata';

/** Name of a service's egress policy. */
export const egressPolicyName = (service: string) => `${service}-egress`;

/** Where the cluster DNS runs (kube-dns and CoreDNS both carry `k8s-app: kube-dns`). */
export const CLUSTER_DNS = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;

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
): kplus.NetworkPolicy {
  const id = `Egress:${svc.name}`;
  const policy = new kplus.NetworkPolicy(scope, id, {
    metadata: objectMetadata(egressPolicyName(svc.name), svc.labels, app.namespace),
    selector: kplus.Pods.select(scope, `${id}:Pods`, { labels: svc.selectorLabels }),
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const dns = kplus.Pods.select(scope, `${id}:Dns`, {
    labels: { ...CLUSTER_DNS.labels },
    namespaces: kplus.Namespaces.select(scope, `${id}:DnsNamespace`, { names: [CLUSTER_DNS.namespace] }),
  });
  policy.addEgressRule(dns, [kplus.NetworkPolicyPort.udp(53), kplus.NetworkPolicyPort.tcp(53)]);
  for (const dep of svc.dependencies) {
    const target = byName.get(dep.service)!;
    policy.addEgressRule(kplus.Pods.select(scope, `${id}:To:${dep.service}`, { labels: target.selectorLabels }), policyPorts(target.ports));
  }
  if (app.monitoring?.service === svc.name) {
    for (const t of app.monitoring.targets) {
      const target = byName.get(t.service)!;
      policy.addEgressRule(kplus.Pods.select(scope, `${id}:Scrape:${t.service}`, { labels: target.selectorLabels }), [
        kplus.NetworkPolicyPort.tcp(t.port),
      ]);
    }
  }
  svc.egress.forEach((e, i) => {
    const ports = e.ports.map((p) => kplus.NetworkPolicyPort.tcp(p));
    const blocks =
      e.kind === EgressKind.CIDR
        ? [
            e.value.includes(':')
              ? kplus.NetworkPolicyIpBlock.ipv6(scope, `${id}:Cidr${i}`, e.value)
              : kplus.NetworkPolicyIpBlock.ipv4(scope, `${id}:Cidr${i}`, e.value),
          ]
        : [kplus.NetworkPolicyIpBlock.anyIpv4(scope, `${id}:Host${i}:V4`), kplus.NetworkPolicyIpBlock.anyIpv6(scope, `${id}:Host${i}:V6`)];
    for (const block of blocks) policy.addEgressRule(block, ports.length > 0 ? ports : undefined);
  });
  return policy;
}

/** Name of a service's scrape policy. */
export const metricsPolicyName = (service: string) => `${service}-metrics`;

/**
 * Lets the scrapers reach exactly the service's metrics port: the pods of the application's monitoring namespace,
 * when set, and the application's own Prometheus (Monitoring), when there is one. None when nothing scrapes.
 */
export function metricsPolicy(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  byName: ReadonlyMap<string, ResolvedService>,
): kplus.NetworkPolicy | undefined {
  const scraper = app.monitoring?.targets.some((t) => t.service === svc.name) ? byName.get(app.monitoring.service) : undefined;
  if (!svc.metrics || (app.monitoringNamespace === undefined && !scraper)) return undefined;
  const id = `Metrics:${svc.name}`;
  const policy = new kplus.NetworkPolicy(scope, id, {
    metadata: objectMetadata(metricsPolicyName(svc.name), svc.labels, app.namespace),
    selector: kplus.Pods.select(scope, `${id}:Pods`, { labels: svc.selectorLabels }),
  });
  const port = [kplus.NetworkPolicyPort.tcp(svc.metrics.port)];
  if (app.monitoringNamespace !== undefined)
    policy.addIngressRule(kplus.Namespaces.select(scope, `${id}:From`, { names: [app.monitoringNamespace] }), port);
  if (scraper) policy.addIngressRule(kplus.Pods.select(scope, `${id}:FromMonitoring`, { labels: scraper.selectorLabels }), port);
  return policy;
}

function policyPorts(ports: readonly ResolvedPort[]): kplus.NetworkPolicyPort[] {
  return ports.map((p) => (p.protocol === Protocol.UDP ? kplus.NetworkPolicyPort.udp(p.port) : kplus.NetworkPolicyPort.tcp(p.port)));
}
