import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { IngressSourceKind, LABEL_PART_OF, ResolvedApplication, ResolvedService } from '../model';
import { egressPolicy, metricsPolicy } from './egress-policies';
import { allowPolicyName, defaultDenyPolicyName } from './names';
import { cidrPeer, IngressRule, namespacePeer, networkPolicy, podsPeer, policyPorts } from './policy-peers';

/**
 * NetworkPolicies from the dependency graph: every pod of the application denies ingress by default, and a
 * service's pods accept connections to its ports only from the services that depend on it (and from the Ingress
 * controller's namespace on the ports the gateway routes to, and from the service's `ingressFrom` sources on all its
 * ports: by default any source for NodePort and LoadBalancer services, which exist to be reached from outside).
 * Egress is denied by default too, and each service's egress policy allows its dependencies, the cluster DNS and
 * its declared `egress` (see egress-policies.ts).
 */
export function createNetworkPolicies(scope: Construct, app: ResolvedApplication): ApiObject[] {
  if (app.services.length === 0) return [];
  const denyAll = networkPolicy(
    scope,
    'DefaultDeny',
    defaultDenyPolicyName(app.name),
    app.labels,
    app.namespace,
    { [LABEL_PART_OF]: app.name },
    { policyTypes: ['Egress', 'Ingress'] },
  );
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
): ApiObject | undefined {
  const routedPorts = svc.ports.filter((p) => app.gateway?.routes.some((r) => r.service === svc.name && r.port === p.port));
  if (svc.ports.length === 0 || (svc.dependents.length === 0 && routedPorts.length === 0 && svc.ingressFrom.length === 0)) return undefined;
  const ports = policyPorts(svc.ports);
  const ingress: IngressRule[] = svc.dependents.map((d) => ({ from: [podsPeer(byName.get(d)!)], ports }));
  if (routedPorts.length > 0) ingress.push({ from: [namespacePeer(app.gateway!.controllerNamespace)], ports: policyPorts(routedPorts) });
  for (const src of svc.ingressFrom) {
    if (src.kind === IngressSourceKind.CIDR) ingress.push({ from: [cidrPeer(src.value!)], ports });
    else if (src.kind === IngressSourceKind.NAMESPACE) ingress.push({ from: [namespacePeer(src.value!)], ports });
  }
  // Any source is a rule without `from`; ipBlock 0.0.0.0/0 would miss node addresses that some CNIs (Cilium) class
  // apart, and load-balanced traffic often arrives from them. It comes after the other rules.
  if (svc.ingressFrom.some((src) => src.kind === IngressSourceKind.ANYWHERE)) ingress.push({ ports });
  return networkPolicy(scope, `Allow:${svc.name}`, allowPolicyName(svc.name), svc.labels, app.namespace, svc.selectorLabels, {
    policyTypes: ['Ingress'],
    ingress,
  });
}
