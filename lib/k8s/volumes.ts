import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ResolvedApplication, ResolvedContainer, ResolvedSecurity, ResolvedService, ResolvedVolume } from '../model';
import { objectMetadata } from './metadata';
import { claimName, pathVolumeBase, PodVolumeNames } from './names';
import { References } from './references';

/** Everything a service's pod mounts. */
export interface PodStorage {
  /**
   * Mounts of the main container. With claim templates the persistent volumes come first, so they are the first
   * pod volumes (see `claimTemplatePatches`).
   */
  readonly main: kplus.VolumeMount[];
  /** Mounts of each sidecar (its files and writable paths), by sidecar name. */
  readonly sidecars: ReadonlyMap<string, kplus.VolumeMount[]>;
  /** A StatefulSet's volumeClaimTemplates; empty unless `claimTemplates` was asked for. */
  readonly claimTemplates: kplus.k8s.KubePersistentVolumeClaimProps[];
}

/** Options of {@link podStorage}. */
export interface PodStorageOptions {
  /** The service's config-file ConfigMap. @default - none (the service has no config files) */
  readonly files?: kplus.IConfigMap;
  /** Persistent volumes become volumeClaimTemplates (StatefulSet) instead of PersistentVolumeClaims. @default false */
  readonly claimTemplates?: boolean;
}

/**
 * Mounts for a service: persistent volumes (a PersistentVolumeClaim each, or claim templates), scratch volumes
 * (emptyDir), the config files and secret files of each container (one file each, via subPath, read-only) and an
 * emptyDir per writable path of each container whose root filesystem is read-only.
 */
export function podStorage(
  scope: Construct,
  svc: ResolvedService,
  app: ResolvedApplication,
  refs: References,
  options: PodStorageOptions = {},
): PodStorage {
  const names = new PodVolumeNames(svc.volumes.map((v) => v.name));
  const claimTemplates: kplus.k8s.KubePersistentVolumeClaimProps[] = [];
  const main: kplus.VolumeMount[] = [];
  const mount = (volume: kplus.Volume, path: string, extra: Omit<kplus.VolumeMount, 'volume' | 'path'> = {}) =>
    main.push({ volume, path, ...extra });

  for (const v of svc.volumes.filter((x) => !x.scratch)) {
    let volume: kplus.Volume;
    if (options.claimTemplates) {
      claimTemplates.push({ metadata: { name: v.name, labels: { ...svc.labels } }, spec: claimSpec(v) });
      // Stands in for the template's volume; the workload removes it from the pod volumes.
      volume = kplus.Volume.fromEmptyDir(scope, `Volume:${v.name}`, v.name);
    } else {
      // Not cdk8s-plus's claim: it renders sizes in whole Gi and rejects e.g. 500Mi.
      new kplus.k8s.KubePersistentVolumeClaim(scope, `Claim:${v.name}`, {
        metadata: objectMetadata(claimName(v.name), svc.labels, app.namespace),
        spec: claimSpec(v),
      });
      const claim = kplus.PersistentVolumeClaim.fromClaimName(scope, `ClaimRef:${v.name}`, claimName(v.name));
      volume = kplus.Volume.fromPersistentVolumeClaim(scope, `Volume:${v.name}`, claim, { name: v.name });
    }
    mount(volume, v.mountPath, readOnly(v.readOnly));
  }
  for (const v of svc.volumes.filter((x) => x.scratch)) {
    mount(kplus.Volume.fromEmptyDir(scope, `Volume:${v.name}`, v.name), v.mountPath, readOnly(v.readOnly));
  }
  // Files: one ConfigMap volume for the pod and one volume per secret, each container mounting its own files.
  const containers: ResolvedContainer[] = [svc, ...svc.sidecars];
  const mountsOf = new Map<ResolvedContainer, kplus.VolumeMount[]>(containers.map((c) => [c, c === svc ? main : []]));
  if (options.files) {
    const name = names.allocate('config-files');
    const volume = kplus.Volume.fromConfigMap(scope, `Volume:${name}`, options.files, { name });
    for (const c of containers) {
      for (const f of c.configFiles) mountsOf.get(c)!.push({ volume, path: f.mountPath, subPath: f.id, readOnly: true });
    }
  }
  const secretFiles = containers.flatMap((c) => c.secretFiles.map((f) => ({ ...f, container: c })));
  for (const [secretName, files] of groupBy(secretFiles, (f) => f.secret.name)) {
    const name = names.allocate(`secret-${pathVolumeBase(secretName)}`);
    const items = Object.fromEntries(files.map((f) => [f.secret.key, { path: f.secret.key }]));
    const volume = kplus.Volume.fromSecret(scope, `Volume:${name}`, refs.secret(secretName), { name, items });
    for (const f of files) mountsOf.get(f.container)!.push({ volume, path: f.mountPath, subPath: f.secret.key, readOnly: true });
  }
  main.push(...writableMounts(scope, svc.security, names));
  const sidecars = new Map(svc.sidecars.map((sc) => [sc.name, [...mountsOf.get(sc)!, ...writableMounts(scope, sc.security, names)]]));
  return { main, sidecars, claimTemplates };
}

/** An emptyDir per writable path of a container whose root filesystem is read-only. */
function writableMounts(scope: Construct, security: ResolvedSecurity, names: PodVolumeNames): kplus.VolumeMount[] {
  if (!security.readOnlyRootFilesystem) return [];
  return security.writablePaths.map((path) => {
    const name = names.allocate(pathVolumeBase(path));
    return { path, volume: kplus.Volume.fromEmptyDir(scope, `Volume:${name}`, name) };
  });
}

/** One node's read-write claim of the volume's size (the model's volumes belong to one service). */
function claimSpec(v: ResolvedVolume): kplus.k8s.PersistentVolumeClaimSpec {
  return { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: kplus.k8s.Quantity.fromString(v.size) } } };
}

/** `readOnly` only when set, so writable mounts stay as short as Kubernetes' default. */
function readOnly(flag: boolean): Pick<kplus.VolumeMount, 'readOnly'> {
  return flag ? { readOnly: true } : {};
}

function groupBy<T>(items: readonly T[], key: (x: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const x of items) out.set(key(x), [...(out.get(key(x)) ?? []), x]);
  return out;
}
