/*
 * What the Pod Security Standards look at and cdk8s-plus-27 cannot express: the seccomp profile (pod level, and a
 * container's own when a sidecar differs from the service) and the AppArmor profile of every container, as the
 * 1.27 annotation (the `appArmorProfile` field only exists from 1.30).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ResolvedSeccompProfile, ResolvedSecurity, ResolvedService } from '../model';
import { waitContainerName } from './names';

/** Prefix of the per-container AppArmor annotation of Kubernetes 1.27. */
export const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function seccomp(p: ResolvedSeccompProfile): Record<string, string> {
  return p.localhostProfile === undefined ? { type: p.type } : { type: p.type, localhostProfile: p.localhostProfile };
}

/**
 * Sets the seccomp profile of the service's pod (the main container's, which the wait-for init containers share)
 * and of each sidecar whose profile differs, and annotates the AppArmor profile of every container that asks for one.
 */
export function applyPodSecurity(workload: kplus.Workload, svc: ResolvedService): void {
  const obj = ApiObject.of(workload);
  obj.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', seccomp(svc.security.seccompProfile)));
  svc.sidecars.forEach((sc, i) => {
    if (!sameSeccomp(sc.security, svc.security)) {
      obj.addJsonPatch(
        JsonPatch.add(`/spec/template/spec/containers/${i + 1}/securityContext/seccompProfile`, seccomp(sc.security.seccompProfile)),
      );
    }
  });
  const containers: Array<[string, ResolvedSecurity]> = [
    [svc.name, svc.security],
    ...svc.sidecars.map((sc): [string, ResolvedSecurity] => [sc.name, sc.security]),
    ...svc.dependencies.map((d): [string, ResolvedSecurity] => [waitContainerName(d.service), svc.security]),
  ];
  for (const [name, security] of containers) {
    if (security.appArmorProfile !== undefined)
      workload.podMetadata.addAnnotation(APPARMOR_ANNOTATION_PREFIX + name, security.appArmorProfile);
  }
}

function sameSeccomp(a: ResolvedSecurity, b: ResolvedSecurity): boolean {
  return a.seccompProfile.type === b.seccompProfile.type && a.seccompProfile.localhostProfile === b.seccompProfile.localhostProfile;
}
