import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedService, ServiceType } from '../model';
import { objectMetadata } from './metadata';
import { headlessServiceName, metricsServiceName } from './names';
import { PlainApiObject } from './plain-api-object';

/**
 * The Service named exactly after the microservice, so dependents reach `<service>:<port>`; none without ports.
 * Each port's Service port is its `servicePort` (the container port unless set), its targetPort the container port;
 * a NodePort Service uses each port's `publish` as its nodePort. A plain object with its final JSON (what
 * cdk8s-plus's Service writes for these props), so a large application does not pay cdk8s-plus's lazy values.
 */
export function createService(scope: Construct, svc: ResolvedService, app: ResolvedApplication): ApiObject | undefined {
  if (svc.ports.length === 0) return undefined;
  const nodePorts = svc.serviceType === ServiceType.NODE_PORT;
  return plainService(scope, 'Service', svc.name, svc, app, {
    ports: svc.ports.map((p) => ({
      name: p.name,
      nodePort: nodePorts ? p.publish : undefined,
      port: p.servicePort,
      protocol: p.protocol,
      targetPort: p.port,
    })),
    type: svc.serviceType,
  });
}

/** The headless Service `<service>-headless` that gives each StatefulSet pod a stable DNS name. */
export function createGoverningService(scope: Construct, svc: ResolvedService, app: ResolvedApplication): kplus.Service {
  return new GoverningService(
    scope,
    'Headless',
    {
      metadata: objectMetadata(headlessServiceName(svc.name), svc.labels, app.namespace),
      ports: servicePorts(svc),
    },
    svc.selectorLabels,
  );
}

/**
 * The headless Service `<service>-metrics` of a scraped service: its metrics port only, no cluster IP, so its DNS
 * name resolves to the address of every ready pod (Prometheus' `dns_sd_configs` scrape each replica).
 */
export function createMetricsService(scope: Construct, svc: ResolvedService, app: ResolvedApplication): ApiObject {
  const port = svc.ports.find((p) => p.port === svc.metrics!.port)!;
  return plainService(scope, `MetricsService:${svc.name}`, metricsServiceName(svc.name), svc, app, {
    clusterIP: 'None',
    ports: [{ name: port.name, port: port.port, protocol: port.protocol, targetPort: port.port }],
    type: ServiceType.CLUSTER_IP,
  });
}

/** A Service `name` selecting `svc`'s pods by its selector labels, carrying its labels; `spec` gives the rest. */
function plainService(
  scope: Construct,
  id: string,
  name: string,
  svc: ResolvedService,
  app: ResolvedApplication,
  spec: Record<string, unknown>,
): ApiObject {
  return new PlainApiObject(scope, id, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMetadata(name, svc.labels, app.namespace),
    spec: { ...spec, selector: { ...svc.selectorLabels } },
  });
}

function servicePorts(svc: ResolvedService): kplus.ServicePort[] {
  return svc.ports.map((p) => ({ port: p.servicePort, targetPort: p.port, name: p.name, protocol: kplus.Protocol[p.protocol] }));
}

/** A StatefulSet's headless Service, selecting its pods by the service's selector labels. */
class GoverningService extends kplus.Service {
  constructor(
    scope: Construct,
    id: string,
    props: kplus.ServiceProps,
    private readonly podLabels: Record<string, string>,
  ) {
    super(scope, id, { ...props, clusterIP: 'None' });
    for (const [key, value] of Object.entries(podLabels)) this.selectLabel(key, value);
  }

  /** The StatefulSet calls this with itself, which would add cdk8s-plus's address label; the labels suffice. */
  public select(_selector: kplus.IPodSelector): void {}

  /** cdk8s-plus refuses a Service without ports, yet a portless StatefulSet's pods still need DNS names. */
  public _toKube(): kplus.k8s.ServiceSpec {
    if (this.ports.length > 0) return super._toKube();
    return { clusterIp: 'None', type: kplus.ServiceType.CLUSTER_IP, selector: { ...this.podLabels } };
  }
}
