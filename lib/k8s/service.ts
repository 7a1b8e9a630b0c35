import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedService, ServiceType } from '../model';
import { objectMetadata } from './metadata';
import { headlessServiceName, metricsServiceName } from './names';

const SERVICE_TYPES: Record<ServiceType, kplus.ServiceType> = {
  [ServiceType.CLUSTER_IP]: kplus.ServiceType.CLUSTER_IP,
  [ServiceType.NODE_PORT]: kplus.ServiceType.NODE_PORT,
  [ServiceType.LOAD_BALANCER]: kplus.ServiceType.LOAD_BALANCER,
};

/**
 * The Service named exactly after the microservice, so dependents reach `<service>:<port>`; none without ports.
 * Each port's Service port is its `servicePort` (the container port unless set), its targetPort the container port;
 * a NodePort Service uses each port's `publish` as its nodePort.
 */
export function createService(scope: Construct, svc: ResolvedService, app: ResolvedApplication): kplus.Service | undefined {
  if (svc.ports.length === 0) return undefined;
  const nodePorts = svc.serviceType === ServiceType.NODE_PORT;
  const service = new kplus.Service(scope, 'Service', {
    metadata: objectMetadata(svc.name, svc.labels, app.namespace),
    type: SERVICE_TYPES[svc.serviceType],
    ports: servicePorts(svc).map((p, i) => ({ ...p, nodePort: nodePorts ? svc.ports[i].publish : undefined })),
  });
  for (const [key, value] of Object.entries(svc.selectorLabels)) service.selectLabel(key, value);
  return service;
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
export function createMetricsService(scope: Construct, svc: ResolvedService, app: ResolvedApplication): kplus.Service {
  const port = svc.ports.find((p) => p.port === svc.metrics!.port)!;
  return new GoverningService(
    scope,
    `MetricsService:${svc.name}`,
    {
      metadata: objectMetadata(metricsServiceName(svc.name), svc.labels, app.namespace),
      ports: [{ port: port.port, targetPort: port.port, name: port.name, protocol: kplus.Protocol[port.protocol] }],
    },
    svc.selectorLabels,
  );
}

function servicePorts(svc: ResolvedService): kplus.ServicePort[] {
  return svc.ports.map((p) => ({ port: p.servicePort, targetPort: p.port, name: p.name, protocol: kplus.Protocol[p.protocol] }));
}

/** A headless Service that selects its pods by the service's selector labels (a StatefulSet's, a metrics one). */
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
