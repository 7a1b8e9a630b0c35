/* Storage: persistent and scratch volumes, config files and secret files, and where they mount. */
import * as path from 'path';
import { ResolvedSecretRef, resolveSecretRef } from './env';
import { isDnsLabel } from './names';
import { ResolvedSecurity } from './security';
import { objectEntries, OptionNames, Report, show, unknownOptionRules } from './validation';

/** A volume mounted into the service. */
export interface VolumeProps {
  /** Volume name, a DNS-1123 label unique in the application. */
  readonly name: string;
  /** Absolute path inside the container. */
  readonly mountPath: string;
  /**
   * Requested size of a persistent volume (Kubernetes quantity).
   * @default '1Gi'
   */
  readonly size?: string;
  /**
   * A scratch volume lives and dies with the container (emptyDir / tmpfs) instead of persisting.
   * @default false
   */
  readonly scratch?: boolean;
  /** @default false */
  readonly readOnly?: boolean;
}

/** A file mounted read-only into the container. */
export interface ConfigFileProps {
  /** Absolute path of the file inside the container. */
  readonly mountPath: string;
  /** File content (not secret: it is written to the outputs). */
  readonly content: string;
}

/** A secret key mounted as a file. */
export interface SecretFileProps {
  /** Secret name. */
  readonly secretName: string;
  /** Key inside the secret. */
  readonly key: string;
  /** Absolute path of the file inside the container. */
  readonly mountPath: string;
}

/** The volumes of a service. */
export interface StorageProps {
  /** @default [] */
  readonly volumes?: VolumeProps[];
}

/** The files mounted into a container (the service's main container or a sidecar). */
export interface FilesProps {
  /** @default [] */
  readonly configFiles?: ConfigFileProps[];
  /** @default [] */
  readonly secretFiles?: SecretFileProps[];
}

export interface ResolvedVolume {
  readonly name: string;
  readonly mountPath: string;
  readonly size: string;
  readonly scratch: boolean;
  readonly readOnly: boolean;
}

export interface ResolvedConfigFile {
  /** Stable file id unique in the service (`<service>-<n>`), for ConfigMap keys and file names. */
  readonly id: string;
  readonly fileName: string;
  readonly mountPath: string;
  readonly content: string;
}

export interface ResolvedSecretFile {
  readonly secret: ResolvedSecretRef;
  readonly mountPath: string;
}

export interface ResolvedStorage {
  readonly volumes: ResolvedVolume[];
}

export interface ResolvedFiles {
  readonly configFiles: ResolvedConfigFile[];
  readonly secretFiles: ResolvedSecretFile[];
}

export const DEFAULT_VOLUME_SIZE = '1Gi';
export const STORAGE_OPTIONS: OptionNames<StorageProps> = { volumes: true };
export const FILES_OPTIONS: OptionNames<FilesProps> = { configFiles: true, secretFiles: true };
const VOLUME_OPTIONS: OptionNames<VolumeProps> = { name: true, mountPath: true, size: true, scratch: true, readOnly: true };
const CONFIG_FILE_OPTIONS: OptionNames<ConfigFileProps> = { mountPath: true, content: true };
const SECRET_FILE_OPTIONS: OptionNames<SecretFileProps> = { secretName: true, key: true, mountPath: true };
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/**
 * Resolves the volumes of service `service`. `volumeOwner` names the first service that declares a persistent
 * volume name (a persistent volume has one owner).
 * @internal
 */
export function resolveStorage(
  service: string,
  p: StorageProps,
  volumeOwner: (volume: string) => string | undefined,
  report: Report,
): ResolvedStorage {
  const names = new Set<string>();
  const volumes = objectEntries(p.volumes, 'volumes', report).map(([v, i]): ResolvedVolume => {
    unknownOptionRules(v, VOLUME_OPTIONS, `volumes[${i}]`, report);
    if (!isDnsLabel(v.name ?? '')) report(`'volumes[${i}].name' must be a DNS-1123 label, got ${show(v.name)}`);
    if (names.has(v.name)) report(`'volumes' declares ${show(v.name)} twice`);
    names.add(v.name);
    if (v.size !== undefined && !(QUANTITY.test(v.size) && parseFloat(v.size) > 0))
      report(`'volumes[${i}].size' must be a quantity like 1Gi, got ${show(v.size)}`);
    if (v.scratch && v.size !== undefined) report(`'volumes[${i}].size' applies to persistent volumes only; ${show(v.name)} is scratch`);
    return {
      name: v.name,
      mountPath: v.mountPath,
      size: v.size ?? DEFAULT_VOLUME_SIZE,
      scratch: v.scratch ?? false,
      readOnly: v.readOnly ?? false,
    };
  });
  for (const v of volumes.filter((x) => !x.scratch)) {
    const owner = volumeOwner(v.name);
    if (owner !== undefined && owner !== service)
      report(`'volumes' persistent volume ${show(v.name)} is already owned by service '${owner}'`);
  }
  return { volumes };
}

/**
 * Resolves the files of a container; `idBase` starts their ids (`web` gives `web-1`, a sidecar `web-proxy-1`),
 * `prefix` their fields in messages. Checks the container's mount paths: its files, its writable paths and the
 * `volumes` it mounts (the main container's).
 * @internal
 */
export function resolveFiles(
  idBase: string,
  p: FilesProps,
  prefix: string,
  security: ResolvedSecurity,
  volumes: readonly VolumeProps[] | undefined,
  report: Report,
): ResolvedFiles {
  const configEntries = objectEntries(p.configFiles, `${prefix}configFiles`, report);
  const secretEntries = objectEntries(p.secretFiles, `${prefix}secretFiles`, report);
  const secretFiles = secretEntries.map(([f, i]) => {
    const where = `${prefix}secretFiles[${i}]`;
    unknownOptionRules(f, SECRET_FILE_OPTIONS, where, report);
    return { secret: resolveSecretRef(f.secretName, f.key, where, report), mountPath: f.mountPath };
  });
  const configFiles = configEntries.map(([f, i]): ResolvedConfigFile => {
    const where = `${prefix}configFiles[${i}]`;
    unknownOptionRules(f, CONFIG_FILE_OPTIONS, where, report);
    if (typeof f.content !== 'string') report(`'${where}.content' must be a string, got ${show(f.content)}`);
    return { id: `${idBase}-${i + 1}`, fileName: path.posix.basename(String(f.mountPath)), mountPath: f.mountPath, content: f.content };
  });
  const mounts = {
    volumes: Array.isArray(volumes) ? volumes.filter((v) => v !== null && typeof v === 'object') : [],
    configFiles: configEntries.map(([c]) => c),
    secretFiles: secretEntries.map(([f]) => f),
  };
  mountPathRules(mounts, prefix, security, report);
  return { configFiles, secretFiles };
}

/** Every mount path of a container is absolute and mounts once (writable paths of a read-only root mount too). */
function mountPathRules(p: StorageProps & FilesProps, prefix: string, security: ResolvedSecurity, report: Report): void {
  const mounts: Array<[string, string]> = [
    ...(p.volumes ?? []).map((v, i): [string, string] => [`volumes[${i}].mountPath`, v.mountPath]),
    ...(p.configFiles ?? []).map((c, i): [string, string] => [`configFiles[${i}].mountPath`, c.mountPath]),
    ...(p.secretFiles ?? []).map((c, i): [string, string] => [`secretFiles[${i}].mountPath`, c.mountPath]),
    ...(security.readOnlyRootFilesystem ? security.writablePaths.map((w, i): [string, string] => [`security.writablePaths[${i}]`, w]) : []),
  ];
  const seen = new Map<string, string>();
  for (const [field, mountPath] of mounts) {
    const where = prefix + field;
    // Writable paths are checked (once) where security resolves.
    if (!field.startsWith('security.') && (typeof mountPath !== 'string' || !path.posix.isAbsolute(mountPath))) {
      report(`'${where}' must be an absolute path, got ${show(mountPath)}`);
    }
    if (typeof mountPath === 'string' && mountPath.split('/').includes('..'))
      report(`'${where}' must not contain '..' segments, got ${show(mountPath)}`);
    if (field.startsWith('configFiles[') || field.startsWith('secretFiles[')) {
      if (typeof mountPath === 'string' && path.posix.normalize(mountPath) === '/')
        report(`'${where}' must name a file, not the root directory, got ${show(mountPath)}`);
    }
    const key = path.posix.normalize(String(mountPath)).replace(/(.)\/+$/, '$1');
    const clash = seen.get(key);
    if (clash) report(`'${where}' mount path ${show(mountPath)} clashes with '${clash}'`);
    else seen.set(key, where);
  }
}
