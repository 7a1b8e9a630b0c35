import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { IngressSourceKind, LABEL_PART_OF, Protocol, ResolvedApplication, ResolvedPort, ResolvedService } from '../model';
import { egressPolicy, metricsPolicy } from './egress-policies';
import { addOpenIngressRule } from './patches';
import { objectMetadata } from './metadata';
import { allowPolicyName, defaultDenyPolicyName } from './names';

/**
 * NetworkPolicies from the dependency graph: every pod of the application denies ingress by default, and a
 * service's pods accept connections to its ports only from the services that depend on it (and from the Ingress
 * controller's namespace on the ports the gateway routes to, and from the service's `ingressFrom` sources on all its
 * ports: by default any source for NodePort and LoadBalancer services, which exist to be reached from outside).
 * Egress is denied by default too, and each service's egress policy allows its dependencies, the cluster DNS and
 * its declared `egress` (see egress-policies.ts).
 */
export function createNetworkPolicies(scope: Construct, app: ResolvedApplication): kplus.NetworkPolicy[] {
  if (app.services.length === 0) return [];
  const denyAll = new kplus.NetworkPolicy(scope, 'DefaultDeny', {
    metadata: objectMetadata(defaultDenyPolicyName(app.name), app.labels, app.namespace),
    selector: kplus.Pods.select(scope, 'AppPods', { labels: { [LABEL_PART_OF]: app.name } }),
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  const byName = new Map(app.services.map((s) => [s.name, s]));
  const allows = app.services.flatMap((svc) => allowPolicy(scope, svc, app, byName) ?? []);
  const egress = app.services.map((svc) => egressPolicy(scope, svc, app, byName));
  const metrics = app.services.flatMap((svc) => metricsPolicy(scope, svc, app, byName) ?? []);
  return [denyAll, ...allows, ...egress, ...metrics];
}

/** The service's allow policy, or none when nobody may connect (the default deny covers it). */
function allowPolicy(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  byName: ReadonlyMap<string, ResolvedService>,
): kplus.NetworkPolicy | undefined {
  const routedPorts = svc.ports.filter((p) => app.gateway?.routes.some((r) => r.service === svc.name && r.port === p.port));
  if (svc.ports.length === 0 || (svc.dependents.length === 0 && routedPorts.length === 0 && svc.ingressFrom.length === 0)) return undefined;
  const id = `Allow:${svc.name}`;
  const policy = new kplus.NetworkPolicy(scope, id, {
    metadata: objectMetadata(allowPolicyName(svc.name), svc.labels, app.namespace),
    selector: kplus.Pods.select(scope, `${id}:Pods`, { labels: svc.selectorLabels }),
  });
  for (const dependent of svc.dependents) {
    const peer = kplus.Pods.select(scope, `${id}:From:${dependent}`, { labels: byName.get(dependent)!.selectorLabels });
    policy.addIngressRule(peer, policyPorts(svc.ports));
  }
  if (routedPorts.length > 0) {
    const controller = kplus.Namespaces.select(scope, `${id}:FromIngress`, { names: [app.gateway!.controllerNamespace] });
    policy.addIngressRule(controller, policyPorts(routedPorts));
  }
  svc.ingressFrom.forEach((src, i) => {
    if (src.kind === IngressSourceKind.CIDR) {
      const block = src.value!.includes(':')
        ? kplus.NetworkPolicyIpBlock.ipv6(scope, `${id}:Cidr${i}`, src.value!)
        : kplus.NetworkPolicyIpBlock.ipv4(scope, `${id}:Cidr${i}`, src.value!);
      policy.addIngressRule(block, policyPorts(svc.ports));
    } else if (src.kind === IngressSourceKind.NAMESPACE) {
      policy.addIngressRule(kplus.Namespaces.select(scope, `${id}:Namespace${i}`, { names: [src.value!] }), policyPorts(svc.ports));
    }
  });
  // Any source is a rule without `from`, which cdk8s-plus cannot write; ipBlock 0.0.0.0/0 would miss node
  // addresses that some CNIs (Cilium) class apart, and load-balanced traffic often arrives from them.
  if (svc.ingressFrom.some((src) => src.kind === IngressSourceKind.ANYWHERE)) addOpenIngressRule(policy, svc.ports.map(policyPortJson));
  return policy;
}

/** A port in cdk8s's typed form: the policy's typed ApiObject converts its JSON after the patches. */
function policyPortJson(p: ResolvedPort): Record<string, unknown> {
  return { port: kplus.k8s.IntOrString.fromNumber(p.port), protocol: p.protocol };
}

function policyPorts(ports: readonly ResolvedPort[]): kplus.NetworkPolicyPort[] {
  return ports.map((p) => (p.protocol === Protocol.UDP ? kplus.NetworkPolicyPort.udp(p.port) : kplus.NetworkPolicyPort.tcp(p.port)));
}
