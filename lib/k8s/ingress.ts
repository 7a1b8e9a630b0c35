import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedGateway } from '../model';
import { objectMetadata } from './metadata';
import { PlainApiObject } from './plain-api-object';

/**
 * The gateway as a networking.k8s.io/v1 Ingress: one Prefix path per route (sorted by path, as cdk8s-plus writes
 * them), on the gateway's host if any, each to its service's Service port. The model has checked the routes
 * (paths, no duplicates, a port on every target), so this is the final JSON.
 */
export function createIngress(scope: Construct, gateway: ResolvedGateway, app: ResolvedApplication): ApiObject {
  const paths = [...gateway.routes]
    .sort((a, b) => a.path.localeCompare(b.path))
    .map((route) => ({
      backend: { service: { name: route.service, port: { number: route.servicePort } } },
      path: route.path,
      pathType: 'Prefix',
    }));
  return new PlainApiObject(scope, 'Gateway', {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: objectMetadata(gateway.name, gateway.labels, app.namespace),
    spec: { ingressClassName: gateway.ingressClassName, rules: [{ host: gateway.host, http: { paths } }] },
  });
}
