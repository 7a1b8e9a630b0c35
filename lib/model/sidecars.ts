/* Sidecars: helper containers next to the main one, sharing its network namespace (the seeds' sidecar proxy). */
import { CONTAINER_OPTIONS, ContainerProps, ContainerScope, ResolvedContainer, resolveContainer } from './container';
import { isDnsLabel } from './names';
import { ResolvedPort } from './ports';
import { OptionNames, Report, show, unknownOptionRules } from './validation';

/** A helper container next to the main one, sharing its network namespace. */
export interface SidecarProps extends ContainerProps {
  /** Container name, a DNS-1123 label unique within the service. */
  readonly name: string;
}

const SIDECAR_OPTIONS: OptionNames<SidecarProps> = { ...CONTAINER_OPTIONS, name: true };

/**
 * Resolves the sidecars of service `service`, whose main container listens on `servicePorts`; `scope` is what
 * they inherit from the service.
 * @internal
 */
export function resolveSidecars(
  service: string,
  sidecars: readonly SidecarProps[],
  servicePorts: ResolvedPort[],
  scope: ContainerScope,
  report: Report,
): ResolvedContainer[] {
  const resolved: ResolvedContainer[] = [];
  sidecars.forEach((sc, i) => {
    const where = `sidecars[${sc.name ?? i}]`;
    unknownOptionRules(sc, SIDECAR_OPTIONS, where, report);
    if (!isDnsLabel(sc.name ?? '')) report(`'${where}.name' must be a DNS-1123 label, got ${show(sc.name)}`);
    if (sc.name === service) report(`'${where}.name' must differ from the service name, got ${show(sc.name)}`);
    const c = resolveContainer(sc.name, sc, `${where}.`, `${service}-${sc.name}`, scope, report);
    (sc.ports ?? []).forEach((p, j) => {
      if (p && p.servicePort !== undefined)
        report(
          `'${where}.ports[${j}].servicePort' applies to the service's own ports only (sidecar ports are not part of its Service), ` +
            `got ${show(p.servicePort)}`,
        );
    });
    for (const p of c.ports) {
      if (servicePorts.some((q) => q.port === p.port))
        report(`'${where}.ports' port ${p.port} clashes with the service's port (they share one network namespace)`);
      const other = resolved.find((o) => o.ports.some((q) => q.port === p.port));
      if (other)
        report(`'${where}.ports' port ${p.port} clashes with the port of sidecar '${other.name}' (they share one network namespace)`);
    }
    resolved.push(c);
  });
  return resolved;
}
