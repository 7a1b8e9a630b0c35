import * as docker from '@pulumi/docker';
import { DependencyCondition, DiagnosticLevel, UnsupportedError } from '../model';
import { DockerContainerPlan, DockerHealthcheck, DockerPlan } from '../docker-plan';

/**
 * The @pulumi/docker Container arguments that follow from the plan alone (no other resource involved): a field
 * by field translation, so it reads like the compose service of the same plan.
 */
export function plainContainerArgs(c: DockerContainerPlan) {
  return {
    name: c.containerName,
    entrypoints: c.command,
    command: c.args,
    ports: c.ports.map((p): docker.types.input.ContainerPort => ({ internal: p.port, external: p.publish, protocol: p.protocol.toLowerCase() })),
    tmpfs: c.tmpfs.length > 0 ? Object.fromEntries(c.tmpfs.map((t) => [t, ''])) : undefined,
    user: c.user,
    readOnly: c.readOnly,
    capabilities: { drops: c.capDrop, adds: c.capAdd },
    securityOpts: c.securityOpt,
    healthcheck: c.healthcheck && healthcheckArgs(c.healthcheck),
    restart: c.restart,
    // The provider treats a stopped container as a failed create unless told that it may stop (tasks).
    mustRun: c.restart === 'always',
    stopSignal: c.stopSignal,
    stopTimeout: c.stopGracePeriodSeconds,
    memory: c.memoryLimitMiB,
    memoryReservation: c.memoryReservationMiB,
    cpus: String(c.cpus),
    labels: Object.entries(c.labels).map(([label, value]) => ({ label, value })),
    logDriver: c.logging.driver,
    logOpts: c.logging.options,
  };
}

export function healthcheckArgs(h: DockerHealthcheck): docker.types.input.ContainerHealthcheck {
  return {
    tests: h.test,
    interval: `${h.intervalSeconds}s`,
    timeout: `${h.timeoutSeconds}s`,
    retries: h.retries,
    startPeriod: `${h.startPeriodSeconds}s`,
  };
}

/** Keys of the containers some dependent waits for with condition `healthy` (and that have a health check). */
export function awaitedHealthy(plan: DockerPlan): Set<string> {
  const awaited = new Set(plan.containers.flatMap((c) => c.dependsOn.filter((d) => d.condition === DependencyCondition.HEALTHY).map((d) => d.key)));
  return new Set(plan.containers.filter((c) => c.healthcheck && awaited.has(c.key)).map((c) => c.key));
}

/** The provider's own default `waitTimeout`, kept as the floor. */
const PROVIDER_WAIT_SECONDS = 60;

/**
 * How long `pulumi up` waits for a container to become healthy: as long as Docker itself takes to give up on it
 * (the start period, then every retry's interval and timeout), and never less than the provider's default.
 */
export function waitTimeoutSeconds(h: DockerHealthcheck): number {
  return Math.max(PROVIDER_WAIT_SECONDS, h.startPeriodSeconds + (h.intervalSeconds + h.timeoutSeconds) * h.retries);
}

/**
 * Throws for what the plan allows but the @pulumi/docker Container cannot take: its `memory` and
 * `memoryReservation` are whole MB (MiB), where compose also accepts KiB.
 */
export function assertProviderExpressible(plan: DockerPlan): void {
  for (const c of plan.containers) {
    for (const [field, mib] of [['limit', c.memoryLimitMiB], ['request', c.memoryReservationMiB]] as const) {
      if (!Number.isInteger(mib)) {
        throw new UnsupportedError({
          level: DiagnosticLevel.ERROR, target: 'docker', service: c.service, field: `resources.memory.${field}`,
          message: `is ${mib} MiB, but the Pulumi Docker provider takes whole MiB; round it`,
        });
      }
    }
  }
}
