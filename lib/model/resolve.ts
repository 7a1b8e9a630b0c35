import * as path from 'path';
import { IConstruct } from 'constructs';
import type { Application } from './application';
import * as D from './defaults';
import { DependencyCondition, Protocol, RestartPolicy, ServiceType } from './enums';
import { EnvSource, EnvValue } from './env-value';
import { Image } from './image';
import { findMicroservices, PortProps, SidecarProps } from './microservice';
import { defaultPortName, envPrefix, secretConfigKey, secretVariable, serviceNameFromPath } from './names';
import { Probe } from './probe';
import { ResourcesProps } from './resources';
import {
  ResolvedApplication, ResolvedContainer, ResolvedDependency, ResolvedEnvVar, ResolvedGateway, ResolvedImage,
  ResolvedPort, ResolvedProbe, ResolvedResources, ResolvedSecretRef, ResolvedSecurity, ResolvedService,
} from './resolved';
import { SecurityProps } from './security';
import { gatewaysOf, ServiceEntry, validateApplication, ValidationContext } from './validation';

/** Validates `app` and returns its resolved model (defaults applied, dependencies first). */
export function resolveApplication(app: Application): ResolvedApplication {
  const services: ServiceEntry[] = findMicroservices(app).map((construct) => ({
    construct,
    name: construct.props.name ?? serviceNameFromPath(pathBelowRoot(construct)),
    props: construct.props,
  }));
  const ctx: ValidationContext = { app, services, byConstruct: new Map(services.map((s) => [s.construct, s])) };
  validateApplication(ctx);

  const appLabels = { ...(app.props.labels ?? {}), [D.LABEL_PART_OF]: app.name, [D.LABEL_MANAGED_BY]: D.MANAGED_BY };
  const gateway = gatewaysOf(app)[0];
  const routedServices = new Set((gateway?.routes ?? []).map((r) => ctx.byConstruct.get(r.service)!.name));
  const dependents = new Map<string, string[]>(services.map((s) => [s.name, []]));
  for (const s of services) for (const d of s.construct.dependsOn) dependents.get(ctx.byConstruct.get(d.service)!.name)!.push(s.name);

  const resolved = new Map<ServiceEntry, ResolvedService>();
  for (const s of topologicalOrder(ctx)) {
    resolved.set(s, resolveService(s, ctx, appLabels, dependents.get(s.name)!, routedServices.has(s.name)));
  }

  return {
    name: app.name,
    namespace: app.props.namespace,
    labels: appLabels,
    services: [...resolved.values()],
    gateway: gateway && gateway.routes.length > 0 ? resolveGateway(gateway, ctx, appLabels) : undefined,
    config: { ...(app.props.config ?? {}) },
    waitImage: app.props.waitImage ?? D.DEFAULT_WAIT_IMAGE,
    logging: {
      driver: app.props.logging?.driver ?? D.DEFAULT_LOGGING.driver,
      options: app.props.logging?.options ?? (app.props.logging?.driver && app.props.logging.driver !== 'json-file' ? {} : D.DEFAULT_LOGGING.options),
    },
  };
}

/** The construct path without the application's own id: `shop/users` -> `users`. */
export function pathBelowRoot(c: IConstruct): string {
  return c.node.scopes.slice(1).map((x) => x.node.id).join('/');
}

/** Dependencies before dependents; ties keep definition order. */
function topologicalOrder(ctx: ValidationContext): ServiceEntry[] {
  const out: ServiceEntry[] = [];
  const seen = new Set<ServiceEntry>();
  const visit = (s: ServiceEntry) => {
    if (seen.has(s)) return;
    seen.add(s);
    for (const d of s.construct.dependsOn) visit(ctx.byConstruct.get(d.service)!);
    out.push(s);
  };
  ctx.services.forEach(visit);
  return out;
}

function resolveService(s: ServiceEntry, ctx: ValidationContext, appLabels: Record<string, string>, dependents: string[], routed: boolean): ResolvedService {
  const { app } = ctx;
  const p = s.props;
  const ports = resolvePorts(p.ports);
  const security = resolveSecurity(app.props.security, p.security);
  const resources = resolveResources(p.resources, app.props.resources);
  const dependencies = s.construct.dependsOn.map(({ service, condition }): ResolvedDependency => {
    const dep = ctx.byConstruct.get(service)!;
    const hasHealth = !!(dep.props.healthcheck ?? dep.props.readinessProbe ?? dep.props.livenessProbe);
    return {
      service: dep.name,
      condition: condition ?? (hasHealth ? DependencyCondition.HEALTHY : DependencyCondition.STARTED),
      host: dep.name,
      port: dep.props.ports![0].port,
      envPrefix: envPrefix(dep.name),
    };
  });
  const discovery = dependencies.flatMap((d): ResolvedEnvVar[] => {
    const depPort = resolvePorts(ctx.services.find((x) => x.name === d.service)!.props.ports)[0];
    const vars: ResolvedEnvVar[] = [
      { name: `${d.envPrefix}_HOST`, source: EnvSource.VALUE, value: d.host },
      { name: `${d.envPrefix}_PORT`, source: EnvSource.VALUE, value: String(d.port) },
    ];
    if (depPort.appProtocol) vars.push({ name: `${d.envPrefix}_URL`, source: EnvSource.VALUE, value: `${depPort.appProtocol}://${d.host}:${d.port}` });
    return vars;
  });
  const probe = (x: Probe | undefined) => resolveProbe(x, ports);
  const selectorLabels = { [D.LABEL_NAME]: s.name, [D.LABEL_PART_OF]: app.name };
  const autoscaling = p.autoscaling && {
    minReplicas: p.autoscaling.minReplicas,
    maxReplicas: p.autoscaling.maxReplicas,
    targetCpuPercent: p.autoscaling.targetCpuPercent ?? D.DEFAULT_TARGET_CPU_PERCENT,
  };
  return {
    name: s.name,
    path: pathBelowRoot(s.construct),
    envPrefix: envPrefix(s.name),
    image: resolveImage(p.image, app, s.name),
    command: p.command && [...p.command],
    args: p.args && [...p.args],
    env: [...resolveEnv(p.env, app), ...discovery],
    ports,
    resources,
    security,
    replicas: autoscaling ? autoscaling.minReplicas : p.replicas ?? 1,
    autoscaling,
    dependencies,
    dependents,
    volumes: (p.volumes ?? []).map((v) => ({
      name: v.name,
      mountPath: v.mountPath,
      size: v.size ?? D.DEFAULT_VOLUME_SIZE,
      scratch: v.scratch ?? false,
      readOnly: v.readOnly ?? false,
    })),
    configFiles: (p.configFiles ?? []).map((f, i) => ({
      id: `${s.name}-${i + 1}`,
      fileName: path.posix.basename(f.mountPath),
      mountPath: f.mountPath,
      content: f.content,
    })),
    secretFiles: (p.secretFiles ?? []).map((f) => ({ secret: secretRef(f.secretName, f.key), mountPath: f.mountPath })),
    livenessProbe: probe(p.livenessProbe),
    readinessProbe: probe(p.readinessProbe),
    startupProbe: probe(p.startupProbe),
    healthcheck: probe(p.healthcheck ?? p.readinessProbe ?? p.livenessProbe),
    restartPolicy: p.restartPolicy ?? RestartPolicy.ALWAYS,
    stopSignal: p.stopSignal,
    stopGracePeriodSeconds: p.stopGracePeriodSeconds,
    labels: { ...appLabels, ...(p.labels ?? {}), [D.LABEL_NAME]: s.name },
    selectorLabels,
    sidecars: s.construct.sidecars.map((sc) => resolveSidecar(sc, app, s.name, p.resources, security)),
    metrics: p.metrics && { port: p.metrics.port, path: p.metrics.path ?? '/metrics' },
    serviceType: p.serviceType ?? ServiceType.CLUSTER_IP,
    routed,
  };
}

function resolveSidecar(sc: SidecarProps, app: Application, service: string, serviceResources: ResourcesProps | undefined, security: ResolvedSecurity): ResolvedContainer {
  return {
    name: sc.name,
    image: resolveImage(sc.image, app, `${service}-${sc.name}`),
    command: sc.command && [...sc.command],
    args: sc.args && [...sc.args],
    env: resolveEnv(sc.env, app),
    ports: resolvePorts(sc.ports),
    // Each field falls back to the service's setting, then the application's, then the default.
    resources: resolveResources(sc.resources, serviceResources, app.props.resources),
    security: sc.security ? mergeSecurity(security, sc.security) : security,
  };
}

function resolveGateway(g: import('./gateway').Gateway, ctx: ValidationContext, appLabels: Record<string, string>): ResolvedGateway {
  const name = g.node.id.toLowerCase();
  return {
    name,
    routes: g.routes.map((r) => {
      const target = ctx.byConstruct.get(r.service)!;
      return { path: r.path, service: target.name, port: r.port ?? target.props.ports![0].port };
    }),
    host: g.props.host,
    image: ctx.app.props.imageOverrides?.[g.props.image ?? D.DEFAULT_GATEWAY_IMAGE] ?? g.props.image ?? D.DEFAULT_GATEWAY_IMAGE,
    publish: g.props.publish ?? D.DEFAULT_GATEWAY_PUBLISH,
    listenPort: D.GATEWAY_LISTEN_PORT,
    ingressClassName: g.props.ingressClassName,
    controllerNamespace: g.props.controllerNamespace ?? D.DEFAULT_INGRESS_CONTROLLER_NAMESPACE,
    resources: resolveResources(ctx.app.props.resources),
    security: resolveSecurity(ctx.app.props.security, undefined),
    labels: { ...appLabels, [D.LABEL_NAME]: name, [D.LABEL_COMPONENT]: 'gateway' },
  };
}

function resolveImage(image: Image, app: Application, service: string): ResolvedImage {
  if (image.build) {
    return {
      reference: image.reference ?? D.DEFAULT_BUILD_TAG(app.name, service),
      build: {
        context: path.resolve(image.build.context),
        dockerfile: image.build.dockerfile,
        buildArgs: { ...image.build.buildArgs },
        target: image.build.target,
      },
    };
  }
  const ref = image.reference!;
  return { reference: app.props.imageOverrides?.[ref] ?? ref };
}

function resolvePorts(ports: PortProps[] | undefined): ResolvedPort[] {
  return (ports ?? []).map((p) => {
    const name = p.name ?? defaultPortName(p.port, p.protocol);
    return {
      name,
      port: p.port,
      protocol: p.protocol ?? Protocol.TCP,
      appProtocol: p.appProtocol ?? (name === 'http' ? 'http' : undefined),
      publish: p.publish,
    };
  });
}

function resolveEnv(env: Record<string, EnvValue> | undefined, app: Application): ResolvedEnvVar[] {
  return Object.entries(env ?? {}).map(([name, v]): ResolvedEnvVar => {
    switch (v.source) {
      case EnvSource.SECRET:
        return { name, source: v.source, secret: secretRef(v.secret!.name, v.secret!.key) };
      case EnvSource.CONFIG:
        return { name, source: v.source, configKey: v.configKey, value: app.props.config![v.configKey!] };
      default:
        return { name, source: EnvSource.VALUE, value: v.value ?? '' };
    }
  });
}

function secretRef(name: string, key: string): ResolvedSecretRef {
  return { name, key, configKey: secretConfigKey(name, key), variable: secretVariable(name, key) };
}

function resolveProbe(probe: Probe | undefined, ports: ResolvedPort[]): ResolvedProbe | undefined {
  if (!probe) return undefined;
  const t = probe.timing;
  return {
    kind: probe.kind,
    port: probe.command ? undefined : probe.port ?? ports[0]?.port,
    path: probe.path,
    command: probe.command && [...probe.command],
    initialDelaySeconds: t.initialDelaySeconds ?? D.DEFAULT_PROBE_TIMING.initialDelaySeconds,
    periodSeconds: t.periodSeconds ?? D.DEFAULT_PROBE_TIMING.periodSeconds,
    timeoutSeconds: t.timeoutSeconds ?? D.DEFAULT_PROBE_TIMING.timeoutSeconds,
    failureThreshold: t.failureThreshold ?? D.DEFAULT_PROBE_TIMING.failureThreshold,
  };
}

/** Resources from `levels`, most specific first (sidecar, service, application), then the defaults. */
function resolveResources(...levels: Array<ResourcesProps | undefined>): ResolvedResources {
  const first = <T>(get: (r: ResourcesProps) => T | undefined, fallback: T): T =>
    levels.map((l) => (l ? get(l) : undefined)).find((x) => x !== undefined) ?? fallback;
  const r: ResolvedResources = {
    cpuRequestMillis: first((x) => x.cpu?.request?.millis, D.DEFAULT_RESOURCES.cpuRequestMillis),
    cpuLimitMillis: first((x) => x.cpu?.limit?.millis, D.DEFAULT_RESOURCES.cpuLimitMillis),
    memoryRequestMiB: first((x) => x.memory?.request?.mebibytes, D.DEFAULT_RESOURCES.memoryRequestMiB),
    memoryLimitMiB: first((x) => x.memory?.limit?.mebibytes, D.DEFAULT_RESOURCES.memoryLimitMiB),
  };
  // An inherited request above a more specific limit follows the limit down (validation rejects a request given
  // explicitly at a more specific level than the limit it exceeds).
  return {
    ...r,
    cpuRequestMillis: Math.min(r.cpuRequestMillis, r.cpuLimitMillis),
    memoryRequestMiB: Math.min(r.memoryRequestMiB, r.memoryLimitMiB),
  };
}

function resolveSecurity(app: SecurityProps | undefined, svc: SecurityProps | undefined): ResolvedSecurity {
  return mergeSecurity(mergeSecurity(D.DEFAULT_SECURITY, app), svc);
}

function mergeSecurity(base: ResolvedSecurity, over: SecurityProps | undefined): ResolvedSecurity {
  return {
    user: over?.user ?? base.user,
    group: over?.group ?? base.group,
    runAsNonRoot: over?.runAsNonRoot ?? base.runAsNonRoot,
    readOnlyRootFilesystem: over?.readOnlyRootFilesystem ?? base.readOnlyRootFilesystem,
    writablePaths: [...(over?.writablePaths ?? base.writablePaths)],
    allowPrivilegeEscalation: over?.allowPrivilegeEscalation ?? base.allowPrivilegeEscalation,
    capabilitiesDrop: [...base.capabilitiesDrop],
    capabilitiesAdd: [...(over?.capabilitiesAdd ?? base.capabilitiesAdd)],
  };
}
