/*
 * Names of the Kubernetes objects and pod parts this backend generates. Service-level names come from the model;
 * these only add the suffixes that keep objects of one kind apart.
 */

/** The application ConfigMap holding `ApplicationProps.config` (read by `EnvValue.fromConfig`). */
export const appConfigMapName = (app: string) => `${app}-config`;

/** A service's config-file ConfigMap; `-files`, not `-config`, so a service named like the app cannot clash. */
export const filesConfigMapName = (service: string) => `${service}-files`;

/** The headless Service governing a StatefulSet (pod DNS `<service>-0.<service>-headless`). */
export const headlessServiceName = (service: string) => `${service}-headless`;

/** The headless Service the application's Prometheus finds every pod of a scraped service by (its metrics port only). */
export const metricsServiceName = (service: string) => `${service}-metrics`;

/** The PersistentVolumeClaim of a single-replica service's persistent volume (volume names are app-unique). */
export const claimName = (volume: string) => volume;

/** The NetworkPolicy that denies ingress to every pod of the application. */
export const defaultDenyPolicyName = (app: string) => `${app}-default-deny`;

/** The NetworkPolicy that lets a service's clients in. */
export const allowPolicyName = (service: string) => `${service}-ingress`;

/** A service's egress policy. */
export const egressPolicyName = (service: string) => `${service}-egress`;

/** The policy that lets the scrapers reach a service's metrics port. */
export const metricsPolicyName = (service: string) => `${service}-metrics`;

/** The init container that waits for dependency `dep`. */
export const waitContainerName = (dep: string) => `wait-for-${dep}`;

/**
 * Hands out pod volume names: the user's volume names are kept (they name the claims), generated volumes get
 * `<base>`, `<base>-2`, ... whichever is free, so a user volume called `tmp` cannot collide with `/tmp`'s.
 */
export class PodVolumeNames {
  private readonly taken: Set<string>;

  constructor(reserved: readonly string[]) {
    this.taken = new Set(reserved);
  }

  /** A free DNS-1123 label derived from `base`. */
  public allocate(base: string): string {
    const stem = base.slice(0, 55).replace(/-+$/, '') || 'volume';
    let name = stem;
    for (let i = 2; this.taken.has(name); i++) name = `${stem}-${i}`;
    this.taken.add(name);
    return name;
  }
}

/** A volume name derived from a path: `/var/cache/nginx` -> `var-cache-nginx`. */
export function pathVolumeBase(path: string): string {
  return (
    path
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'root'
  );
}
