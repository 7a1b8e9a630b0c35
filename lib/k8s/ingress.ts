import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedGateway } from '../model';
import { objectMetadata } from './metadata';

/** The gateway as a networking.k8s.io/v1 Ingress: one Prefix rule per route, on the gateway's host if any. */
export function createIngress(
  scope: Construct,
  gateway: ResolvedGateway,
  app: ResolvedApplication,
  services: ReadonlyMap<string, kplus.Service>,
): kplus.Ingress {
  const ingress = new kplus.Ingress(scope, 'Gateway', {
    metadata: objectMetadata(gateway.name, gateway.labels, app.namespace),
    className: gateway.ingressClassName,
  });
  for (const route of gateway.routes) {
    const service = services.get(route.service);
    if (!service) throw new Error(`gateway '${gateway.name}': route '${route.path}' targets '${route.service}', which has no Service`);
    const backend = kplus.IngressBackend.fromService(service, { port: route.servicePort });
    if (gateway.host) ingress.addHostRule(gateway.host, route.path, backend, kplus.HttpIngressPathType.PREFIX);
    else ingress.addRule(route.path, backend, kplus.HttpIngressPathType.PREFIX);
  }
  return ingress;
}
