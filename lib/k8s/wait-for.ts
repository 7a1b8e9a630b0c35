import * as kplus from 'cdk8s-plus-27';
import { Protocol, ResolvedApplication, ResolvedContainer, ResolvedDependency, ResolvedResources, ResolvedService } from '../model';
import { containerProps } from './container';
import { waitContainerName } from './names';
import { References } from './references';

/** Enough for `nc` in a shell loop. */
export const WAIT_RESOURCES: ResolvedResources = {
  cpuRequestMillis: 10,
  cpuLimitMillis: 50,
  memoryRequestMiB: 16,
  memoryLimitMiB: 32,
};

/**
 * An init container per dependency, in declaration order, that blocks until the dependency's Service port
 * (its `servicePort`) accepts connections. A Service only forwards to ready pods, so this also waits for `healthy` dependencies.
 * It runs with the service's own security context.
 */
export function addWaitContainers(workload: kplus.Workload, svc: ResolvedService, app: ResolvedApplication, refs: References): void {
  for (const dep of svc.dependencies.filter((d) => d.wait)) workload.addInitContainer(containerProps(waitContainer(dep, svc, app), refs));
}

function waitContainer(dep: ResolvedDependency, svc: ResolvedService, app: ResolvedApplication): ResolvedContainer {
  // A UDP port never completes a TCP connect; `-u` at least waits until the Service name resolves.
  const udp = app.services.find((s) => s.name === dep.service)?.ports.find((p) => p.port === dep.port)?.protocol === Protocol.UDP;
  return {
    name: waitContainerName(dep.service),
    image: { reference: app.waitImage },
    command: ['sh', '-c', `until nc -z${udp ? 'u' : ''} ${dep.host} ${dep.servicePort}; do echo waiting for ${dep.service}; sleep 2; done`],
    env: [],
    ports: [],
    resources: WAIT_RESOURCES,
    security: svc.security,
    configFiles: [],
    secretFiles: [],
  };
}
