import * as kplus from 'cdk8s-plus-27';
import { ResolvedSecurity } from '../model';

/** Pod-level context: the identity every container inherits, and the group that owns mounted volumes. */
export function podSecurityContext(s: ResolvedSecurity): kplus.PodSecurityContextProps {
  return { ensureNonRoot: s.runAsNonRoot, user: s.user, group: s.group, fsGroup: s.group };
}

/**
 * Container-level context. The identity is repeated per container because a sidecar may run as another user;
 * every field is set so cdk8s-plus's own defaults never decide anything.
 */
export function containerSecurityContext(s: ResolvedSecurity): kplus.ContainerSecurityContextProps {
  return {
    ensureNonRoot: s.runAsNonRoot,
    user: s.user,
    group: s.group,
    privileged: false,
    readOnlyRootFilesystem: s.readOnlyRootFilesystem,
    allowPrivilegeEscalation: s.allowPrivilegeEscalation,
    // Kubernetes takes capability names without the CAP_ prefix (the model's form); cdk8s-plus's enum has it.
    capabilities: {
      drop: s.capabilitiesDrop as kplus.Capability[],
      add: s.capabilitiesAdd.length > 0 ? (s.capabilitiesAdd as kplus.Capability[]) : undefined,
    },
  };
}
