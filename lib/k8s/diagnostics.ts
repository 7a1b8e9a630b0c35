import {
  DEFAULT_LOGGING,
  Diagnostic,
  EgressKind,
  DiagnosticLevel,
  IngressSourceKind,
  isAcknowledged,
  ResolvedApplication,
  ResolvedContainer,
  ResolvedService,
  RestartPolicy,
  ServiceType,
} from '../model';
import { headlessServiceName, metricsServiceName, waitContainerName } from './names';
import { WorkloadKind, workloadKind } from './workload';

const TARGET = 'kubernetes';

type ServiceRule = (svc: ResolvedService, app: ResolvedApplication) => Array<Omit<Diagnostic, 'level' | 'target' | 'service'>>;

/** What the Kubernetes rendering cannot express exactly, per service. */
const SERVICE_RULES: ServiceRule[] = [
  (svc) =>
    svc.ports.flatMap((p) => {
      if (p.publish === undefined) return [];
      if (svc.serviceType === ServiceType.CLUSTER_IP) {
        return [
          {
            field: 'ports',
            message:
              `publishes host port ${p.publish}, but a ClusterIP Service is reachable only inside the cluster (local-only): ` +
              `run \`kubectl port-forward service/${svc.name} ${p.publish}:${p.servicePort}\` or set serviceType NodePort or LoadBalancer`,
          },
        ];
      }
      if (svc.serviceType === ServiceType.LOAD_BALANCER && p.publish !== p.servicePort) {
        return [
          {
            field: 'ports',
            message:
              `publishes host port ${p.publish}, but the LoadBalancer Service listens on port ${p.servicePort} (the port ` +
              `in-cluster clients use; set servicePort to ${p.publish} to listen there)`,
          },
        ];
      }
      return [];
    }),
  (svc) =>
    svc.serviceType === ServiceType.LOAD_BALANCER && new Set(svc.ports.map((p) => p.protocol)).size > 1
      ? [
          {
            field: 'serviceType',
            message:
              'LoadBalancer with TCP and UDP ports needs mixed-protocol load balancers (MixedProtocolLBService: on by default ' +
              'from Kubernetes 1.24, and a cloud that supports it); older clusters refuse the Service: split the protocols ' +
              'into two services, or use NodePort',
          },
        ]
      : [],
  (svc) => {
    if (svc.ingressFrom.length === 0) return [];
    const ports = svc.ports.map((p) => p.port).join(', ');
    const sources = svc.ingressFrom.map((src) =>
      src.kind === IngressSourceKind.ANYWHERE ? 'any source' : src.kind === IngressSourceKind.CIDR ? src.value! : `namespace ${src.value}`,
    );
    return [
      {
        field: 'ingressFrom',
        message: sources.includes('any source')
          ? `its NetworkPolicy admits traffic from any source on port(s) ${ports} (the default of a ${svc.serviceType} Service): ` +
            `narrow it with ingressFrom: [IngressSource.cidr(...), IngressSource.namespace(...)]`
          : `its NetworkPolicy admits traffic from ${sources.join(', ')} on port(s) ${ports}`,
      },
    ];
  },
  (svc) =>
    svc.sidecars.flatMap((sc) =>
      sc.ports
        .filter((p) => p.publish !== undefined)
        .map((p) => ({
          field: `sidecars[${sc.name}].ports`,
          message:
            `publishes host port ${p.publish}, but sidecar ports are not part of the Service (local-only): run \`kubectl ` +
            `port-forward\` to a pod of '${svc.name}' with ${p.publish}:${p.port}`,
        })),
    ),
  (svc) =>
    [svc as ResolvedContainer, ...svc.sidecars]
      .filter((c) => c.image.build)
      .map((c) => ({
        field: c === svc ? 'image' : `sidecars[${c.name}].image`,
        message:
          `is built from a Dockerfile, but Kubernetes pulls ${JSON.stringify(c.image.reference)}: build and push it to a ` +
          `registry the cluster can reach (or load it into kind/minikube)`,
      })),
  (svc) =>
    svc.egress.flatMap((e, i) =>
      e.kind === EgressKind.HOST
        ? [
            {
              field: `egress[${i}]`,
              message:
                `host ${JSON.stringify(e.value)} cannot be named in a NetworkPolicy: the pods may reach any address on ` +
                `${e.ports.length > 0 ? `port(s) ${e.ports.join(', ')}` : 'every port'}; use Egress.cidr with the host's addresses, ` +
                `or an egress gateway, to narrow it`,
            },
          ]
        : [],
    ),
  (svc, app) =>
    svc.metrics && app.monitoringNamespace === undefined && !app.monitoring
      ? [
          {
            field: 'metrics',
            message:
              `port ${svc.metrics.port} carries prometheus.io scrape annotations, but the default-deny NetworkPolicy also ` +
              `blocks Prometheus: add a Monitoring to the application, or set its monitoringNamespace (or add a NetworkPolicy) ` +
              `to let your monitoring namespace reach port ${svc.metrics.port}`,
          },
        ]
      : [],
  (svc) =>
    svc.restartPolicy !== RestartPolicy.ALWAYS && workloadKind(svc) !== WorkloadKind.JOB
      ? [
          {
            field: 'restartPolicy',
            message:
              `is ${svc.restartPolicy}, but the service has ports to serve, so it runs as a ${workloadKind(svc)}, whose pods ` +
              `always restart (a Job would stop serving once it exits)`,
          },
        ]
      : [],
  (svc) =>
    svc.healthcheck && !svc.readinessProbe && !svc.livenessProbe
      ? [
          {
            field: 'healthcheck',
            message: 'is a Docker health check only; Kubernetes gets no probe: add a readinessProbe or livenessProbe',
          },
        ]
      : [],
  (svc) =>
    svc.stopSignal !== undefined
      ? [
          {
            field: 'stopSignal',
            message:
              `${svc.stopSignal} cannot be expressed in Kubernetes 1.27, which stops containers with SIGTERM: make the ` +
              `process exit on SIGTERM, or send ${svc.stopSignal} from a preStop hook`,
          },
        ]
      : [],
];

/** Every unacknowledged Kubernetes diagnostic of the application, services in model order, application-wide ones last. */
export function kubernetesDiagnostics(app: ResolvedApplication): Diagnostic[] {
  const warn =
    (service: string) =>
    (d: Omit<Diagnostic, 'level' | 'target' | 'service'>): Diagnostic => ({
      level: DiagnosticLevel.WARNING,
      target: TARGET,
      service,
      ...d,
    });
  const out = app.services.flatMap((svc) => SERVICE_RULES.flatMap((rule) => rule(svc, app)).map(warn(svc.name)));
  const logging = app.logging;
  if (logging.driver !== DEFAULT_LOGGING.driver || JSON.stringify(logging.options) !== JSON.stringify(DEFAULT_LOGGING.options)) {
    out.push(
      warn(app.name)({
        field: 'logging',
        message:
          `driver ${JSON.stringify(logging.driver)} and its options apply to Docker only; Kubernetes leaves container logs ` +
          `to the node's runtime (collect them with a cluster log agent)`,
      }),
    );
  }
  return out.filter((d) => !isAcknowledged(app.acknowledgements, d));
}

/**
 * Names the Kubernetes rendering cannot give out twice: a service called like another one's headless Service (a
 * StatefulSet's or a scraped service's `<service>-metrics`), a sidecar called like a wait-for init container.
 * Errors, since renaming behind the user's back would break the DNS names other services rely on.
 */
export function kubernetesNameClashes(app: ResolvedApplication): Diagnostic[] {
  const error = (service: string, field: string, message: string): Diagnostic => ({
    level: DiagnosticLevel.ERROR,
    target: TARGET,
    service,
    field,
    message,
  });
  const serviceNames = new Set(app.services.filter((s) => s.ports.length > 0).map((s) => s.name));
  const out: Diagnostic[] = [];
  for (const t of app.monitoring?.targets ?? []) {
    const name = metricsServiceName(t.service);
    if (serviceNames.has(name)) {
      out.push(
        error(
          name,
          'name',
          `clashes with the headless Service '${name}' the monitoring scrapes '${t.service}' through; rename the service`,
        ),
      );
    }
  }
  for (const svc of app.services) {
    const headless = headlessServiceName(svc.name);
    if (workloadKind(svc) === WorkloadKind.STATEFUL_SET && serviceNames.has(headless)) {
      out.push(error(headless, 'name', `clashes with the headless Service '${headless}' of StatefulSet '${svc.name}'; rename the service`));
    }
    for (const dep of svc.dependencies) {
      const wait = waitContainerName(dep.service);
      if (svc.sidecars.some((sc) => sc.name === wait)) {
        out.push(
          error(svc.name, `sidecars[${wait}].name`, `clashes with the init container that waits for '${dep.service}'; rename the sidecar`),
        );
      }
    }
  }
  return out;
}
