/*
 * What the Docker rendering must contain, computed from the resolved model alone (never from the Docker plan),
 * so the tests check the plan and its translation together.
 */
import { DependencyCondition, ProbeKind, ResolvedApplication, ResolvedService } from '../../lib/model';

export interface ExpectedContainer {
  readonly name: string;
  readonly service: string;
  readonly role: 'service' | 'sidecar' | 'gateway';
  /** Docker name of the replica a sidecar belongs to. */
  readonly replicaOf?: string;
  readonly replica?: number;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

export function replicaNames(app: ResolvedApplication, s: ResolvedService): string[] {
  return range(s.replicas).map((i) => `${app.name}-${s.name}-${i}`);
}

export function networkName(app: ResolvedApplication, service: string): string {
  return `${app.name}-${service}`;
}

export function gatewayName(app: ResolvedApplication): string | undefined {
  return app.gateway && `${app.name}-${app.gateway.name}`;
}

/** Every container that runs: one per replica, one per replica and sidecar, the gateway. */
export function expectedContainers(app: ResolvedApplication): ExpectedContainer[] {
  const out: ExpectedContainer[] = [];
  for (const s of app.services) {
    range(s.replicas).forEach((i) => {
      const name = `${app.name}-${s.name}-${i}`;
      out.push({ name, service: s.name, role: 'service', replica: i });
      for (const sc of s.sidecars) out.push({ name: `${name}-${sc.name}`, service: s.name, role: 'sidecar', replicaOf: name, replica: i });
    });
  }
  if (app.gateway) out.push({ name: gatewayName(app)!, service: app.gateway.name, role: 'gateway' });
  return out;
}

/**
 * Members of each service's network, from the declared dependencies: the service's replicas, the replicas of
 * every service that declares a dependency on it, the gateway when a route targets it, and the monitoring's
 * Prometheus when it scrapes it.
 */
export function expectedNetworkMembers(app: ResolvedApplication): Map<string, Set<string>> {
  const members = new Map(app.services.map((s) => [networkName(app, s.name), new Set(replicaNames(app, s))]));
  for (const s of app.services) {
    for (const d of s.dependencies) for (const n of replicaNames(app, s)) members.get(networkName(app, d.service))!.add(n);
  }
  for (const r of app.gateway?.routes ?? []) members.get(networkName(app, r.service))!.add(gatewayName(app)!);
  // The monitoring's Prometheus joins the network of every service it scrapes.
  const server = app.services.find((s) => s.name === app.monitoring?.service);
  for (const t of app.monitoring?.targets ?? [])
    for (const n of replicaNames(app, server!)) members.get(networkName(app, t.service))!.add(n);
  // The edge network (not internal): services with external egress or published ports, and the gateway.
  const edge = new Set([
    ...app.services
      .filter((s) => s.egress.length > 0 || [...s.ports, ...s.sidecars.flatMap((sc) => sc.ports)].some((p) => p.publish !== undefined))
      .flatMap((s) => replicaNames(app, s)),
    ...(app.gateway ? [gatewayName(app)!] : []),
  ]);
  if (edge.size > 0) members.set(`${app.name}--edge`, edge);
  return members;
}

/** Docker names each running container is created after (seed containers aside). */
export function expectedDependsOn(app: ResolvedApplication): Map<string, string[]> {
  const byName = new Map(app.services.map((s) => [s.name, s]));
  const out = new Map<string, string[]>();
  for (const c of expectedContainers(app)) {
    if (c.role === 'sidecar') out.set(c.name, [c.replicaOf!]);
    else if (c.role === 'gateway')
      out.set(
        c.name,
        [...new Set(app.gateway!.routes.map((r) => r.service))].flatMap((s) => replicaNames(app, byName.get(s)!)),
      );
    else
      out.set(
        c.name,
        byName.get(c.service)!.dependencies.flatMap((d) => replicaNames(app, byName.get(d.service)!)),
      );
  }
  return new Map([...out].map(([k, v]) => [k, [...v].sort()]));
}

/** Services some dependent waits for with condition `healthy`. */
export function awaitedHealthyServices(app: ResolvedApplication): Set<string> {
  // Docker has a health check to wait for unless there is none (Probe.none()) or it would be a Kubernetes gRPC probe.
  const byName = new Map(app.services.map((s) => [s.name, s]));
  const dockerChecked = (name: string) => {
    const h = byName.get(name)!;
    return h.healthcheck !== undefined && !(h.healthcheck.kind === ProbeKind.GRPC && h.healthcheckField !== 'healthcheck');
  };
  return new Set(
    app.services.flatMap((s) =>
      s.dependencies.filter((d) => d.condition === DependencyCondition.HEALTHY && dockerChecked(d.service)).map((d) => d.service),
    ),
  );
}

/** Whole seconds as Go's time.Duration prints them (how the provider reads durations back): 300 -> `5m0s`. */
export function goDuration(seconds: number): string {
  const parts: Array<[number, string]> = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor(seconds / 60) % 60, 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return first < 0
    ? '0s'
    : parts
        .slice(first)
        .map(([n, u]) => `${n}${u}`)
        .join('');
}

/** A cpu limit as the provider reads it back (`%.1f`): 1000m -> `1.0`, 500m -> `0.5`. */
export function providerCpus(millis: number): string {
  return `${Math.floor(millis / 1000)}.${Math.round((millis % 1000) / 100)}`;
}
