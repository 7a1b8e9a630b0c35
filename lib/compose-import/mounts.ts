/*
 * `volumes`, `tmpfs`, `secrets` and `configs` of a service: what compose mounts into the container becomes
 * persistent or scratch volumes, config files (content read from the project) and secret file references (content
 * never read).
 */
import * as path from 'path';
import { secretVariable } from '../model';
import { allocateSecretKey, eachEntry, ImportContext, isMap, own, ServiceDraft, YamlMap } from './context';
import { ProjectFile } from './files';
import { HostBindMounts } from './options';
import { isSecretFile, isSecretName, toDnsLabel, toSecretKey, uniqueName } from './rules';
import { credentialsIn, hasUrlPassword, parseVolumeEntry, show, stringList, ValueError, VolumeSpec } from './values';

/**
 * Why `target` cannot be a mount path, or undefined: it must be absolute, not `/` itself, and free of `.`/`..`
 * segments (`/data/../etc` mounts over /etc).
 */
export function mountPathProblem(target: string): string | undefined {
  if (!target.startsWith('/')) return `mounts at ${show(target)}, which is not an absolute path`;
  const segments = target.split('/').filter(Boolean);
  if (segments.length === 0) return `mounts at ${show(target)}: a mount cannot replace the root filesystem`;
  if (segments.some((x) => x === '.' || x === '..')) return `mounts at ${show(target)}, which has a '.' or '..' segment`;
  if (target.includes('\0')) return `mounts at ${show(target)}, which holds a NUL character`;
  return undefined;
}

function checkMountPath(target: string): void {
  const problem = mountPathProblem(target);
  if (problem) throw new ValueError(problem, 'error');
}

/** Compose secret names as Kubernetes secret keys: `[-._a-zA-Z0-9]+`, not `.` or `..`. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** `volumes:` of a service. */
export function importVolumes(value: unknown, d: ServiceDraft, ctx: ImportContext): void {
  eachEntry(value, d, 'volumes', ctx, (entry) => {
    const spec = parseVolumeEntry(entry);
    checkMountPath(spec.target);
    if (spec.ignoredOptions.length > 0) {
      ctx.report.warn(
        d.composeName,
        'volumes',
        `options ${spec.ignoredOptions.join(', ')} of the mount at ${show(spec.target)} cannot be carried over`,
      );
    }
    switch (spec.type) {
      case 'volume':
        return spec.source ? namedVolume(spec, d, ctx) : scratch(d, spec.target, spec.readOnly);
      case 'tmpfs':
        return scratch(d, spec.target, false);
      case 'bind':
        return hostBind(spec, d, ctx);
      default:
        ctx.report.notCarried(d.composeName, 'volumes', `the ${spec.type} mount at ${show(spec.target)} has no equivalent in the model`);
    }
  });
}

/** `tmpfs:` of a service: in-memory writable paths, which the model's scratch volumes are. */
export function importTmpfs(value: unknown, d: ServiceDraft, ctx: ImportContext): void {
  eachEntry(stringList(value), d, 'tmpfs', ctx, (entry) => {
    const [target, options] = (entry as string).split(/:(.*)/s);
    checkMountPath(target);
    if (options) ctx.report.warn(d.composeName, 'tmpfs', `options ${show(options)} of ${show(target)} cannot be carried over`);
    scratch(d, target, false);
  });
}

function namedVolume(spec: VolumeSpec, d: ServiceDraft, ctx: ImportContext): void {
  const source = spec.source!;
  if (!Object.prototype.hasOwnProperty.call(ctx.volumes, source)) {
    ctx.report.error(
      d.composeName,
      'volumes',
      `uses volume ${show(source)}, which the top-level 'volumes' does not declare; imported anyway`,
    );
  }
  const name = volumeName(source, ctx);
  const owner = ctx.volumeOwners.get(name);
  if (owner !== undefined && owner !== d.name) {
    ctx.report.warn(
      d.composeName,
      'volumes',
      `volume ${show(source)} is shared with service '${owner}', which the model cannot do (a persistent volume belongs to one ` +
        `service): mounted as an empty scratch volume at ${show(spec.target)} instead`,
    );
    return scratch(d, spec.target, spec.readOnly);
  }
  ctx.volumeOwners.set(name, d.name);
  d.volumeNames.add(name);
  d.volumes.push({ name, mountPath: spec.target, ...(spec.readOnly ? { readOnly: true } : {}) });
}

/** The model name of compose volume `source` (DNS label, unique in the application). */
function volumeName(source: string, ctx: ImportContext): string {
  let name = ctx.volumeNames.get(source);
  if (name === undefined) {
    name = uniqueName(toDnsLabel(source, 'volume'), takenVolumeNames(ctx));
    ctx.volumeNames.set(source, name);
  }
  return name;
}

const takenByImport = new WeakMap<ImportContext, Set<string>>();

/** Persistent volume names are unique in the application (one set per import, which uniqueName extends). */
function takenVolumeNames(ctx: ImportContext): Set<string> {
  let taken = takenByImport.get(ctx);
  if (!taken) takenByImport.set(ctx, (taken = new Set()));
  return taken;
}

function scratch(d: ServiceDraft, target: string, readOnly: boolean): void {
  const name = uniqueName(toDnsLabel(path.posix.basename(target) || 'scratch', 'scratch'), d.volumeNames);
  d.volumes.push({ name, mountPath: target, scratch: true, ...(readOnly ? { readOnly: true } : {}) });
}

function hostBind(spec: VolumeSpec, d: ServiceDraft, ctx: ImportContext): void {
  const source = spec.source!;
  const what = `host path ${show(source)} mounted at ${show(spec.target)}`;
  switch (ctx.hostBindMounts) {
    case HostBindMounts.SCRATCH:
      ctx.report.warn(d.composeName, 'volumes', `${what} becomes an empty scratch volume (hostBindMounts: scratch)`);
      return scratch(d, spec.target, spec.readOnly);
    case HostBindMounts.PERSISTENT: {
      const name = uniqueName(toDnsLabel(source, 'bind'), takenVolumeNames(ctx));
      ctx.volumeOwners.set(name, d.name);
      d.volumeNames.add(name);
      d.volumes.push({ name, mountPath: spec.target, ...(spec.readOnly ? { readOnly: true } : {}) });
      ctx.report.warn(
        d.composeName,
        'volumes',
        `${what} becomes the empty persistent volume '${name}' (hostBindMounts: persistent); copy the data into it`,
      );
      return;
    }
    case HostBindMounts.OMIT:
      ctx.report.warn(d.composeName, 'volumes', `${what} is left out (hostBindMounts: omit)`);
      return;
    default:
      return bindAsConfig(spec, d, ctx, what);
  }
}

function bindAsConfig(spec: VolumeSpec, d: ServiceDraft, ctx: ImportContext, what: string): void {
  // A credential is recognised by its host or container file name, before anything is read.
  const target = (relative: string) => (relative ? path.posix.join(spec.target, relative) : spec.target);
  const credential = (relative: string) =>
    isSecretFile(path.posix.basename(target(relative))) || isSecretFile(path.posix.basename(relative || spec.source!));
  const found = ctx.files.lookup(spec.source!, credential);
  if (found.kind === 'unusable') {
    ctx.report.warn(
      d.composeName,
      'volumes',
      `${what} is left out, so the image's own content at that path stays: ${found.reason}; a target has no host paths (mount it as ` +
        `a config file or volume yourself, or choose hostBindMounts scratch/persistent)`,
    );
    return;
  }
  const files = found.kind === 'file' ? [found.file] : found.files;
  for (const skipped of found.kind === 'directory' ? found.skipped : []) {
    ctx.report.warn(
      d.composeName,
      'volumes',
      `${what}: ${show(path.posix.join(spec.source!, skipped.relative))} ${skipped.reason}, so it is left out`,
    );
  }
  if (files.length === 0) {
    ctx.report.warn(d.composeName, 'volumes', `${what} is an empty directory: left out`);
    return;
  }
  for (const f of files) mountProjectFile(f, target(f.relative), spec.source!, d, ctx);
  if (!spec.readOnly) {
    ctx.report.info(
      d.composeName,
      'volumes',
      `${what} becomes ${files.length} read-only config file(s): writes to it no longer reach the host`,
    );
  }
}

/** A file of the project mounted at `mountPath`: a config file, or a secret reference when it holds a credential. */
function mountProjectFile(f: ProjectFile, mountPath: string, source: string, d: ServiceDraft, ctx: ImportContext): void {
  if (f.content !== undefined) {
    d.configFiles.push({ mountPath, content: f.content });
    return;
  }
  const hostFile = f.relative ? path.posix.join(source, f.relative) : source;
  const secretName = `${d.name}-files`;
  const key = allocateSecretKey(ctx, secretName, toSecretKey(path.posix.basename(hostFile)), `file ${hostFile}`);
  d.secretFiles.push({ secretName, key, mountPath });
  ctx.report.warn(
    d.composeName,
    'volumes',
    `${show(hostFile)} looks like a credential, so its content is not read: ${show(mountPath)} is mounted from key '${key}' of ` +
      `secret '${secretName}'; create it (kubectl create secret generic ${secretName} --from-file=${key}=${hostFile})`,
  );
}

/** `secrets:` of a service: files at /run/secrets/<name> from secret references; their content is never read. */
export function importSecrets(value: unknown, d: ServiceDraft, ctx: ImportContext): void {
  eachEntry(value, d, 'secrets', ctx, (entry) => {
    const ref = mountRef(entry, 'secrets', d, ctx);
    if (!ref) return;
    // `..` would mount the whole secrets folder, other services' secrets included.
    if (!SECRET_KEY.test(ref.source) || ref.source === '.' || ref.source === '..') {
      ctx.report.error(
        d.composeName,
        'secrets',
        `names secret ${show(ref.source)}: a secret name is [-._a-zA-Z0-9]+ and not '.' or '..'; it is left out`,
      );
      return;
    }
    if (
      ref.target !== undefined &&
      !ref.target.startsWith('/') &&
      (ref.target === '.' || ref.target === '..' || ref.target.includes('/'))
    ) {
      ctx.report.error(
        d.composeName,
        'secrets',
        `mounts secret ${show(ref.source)} at ${show(ref.target)}: a relative target is a file name below /run/secrets; it is left out`,
      );
      return;
    }
    const definition = own(ctx.secrets, ref.source);
    if (!isMap(definition)) {
      ctx.report.error(
        d.composeName,
        'secrets',
        `uses secret ${show(ref.source)}, which the top-level 'secrets' does not declare; it is left out`,
      );
      return;
    }
    const mountPath = ref.target?.startsWith('/') ? ref.target : `/run/secrets/${ref.target ?? ref.source}`;
    checkMountPath(mountPath);
    const secretName = toDnsLabel(ref.source, 'secret');
    const key = allocateSecretKey(ctx, secretName, toSecretKey(ref.source), `compose secret ${ref.source}`);
    d.secretFiles.push({ secretName, key, mountPath });
    if (ctx.announcedSecrets.has(secretName)) return;
    ctx.announcedSecrets.add(secretName);
    ctx.report.warn(
      d.composeName,
      'secrets',
      `secret ${show(ref.source)} is mounted from key '${key}' of secret '${secretName}'; create it: ` +
        `${createSecretHint(definition, secretName, key)}`,
    );
  });
}

function createSecretHint(definition: YamlMap, secretName: string, key: string): string {
  if (typeof definition.file === 'string') {
    return (
      `kubectl create secret generic ${secretName} --from-file=${key}=${definition.file} (Pulumi: config --secret; compose: ` +
      `file secrets/${secretName}/${key})`
    );
  }
  if (typeof definition.environment === 'string') {
    return `kubectl create secret generic ${secretName} --from-literal=${key}="$${definition.environment}"`;
  }
  return (
    `it is external in the compose file; make sure secret '${secretName}' with key '${key}' exists (compose variable ` +
    `${secretVariable(secretName, key)})`
  );
}

/** `configs:` of a service: config files with the content of the top-level definition. */
export function importConfigs(value: unknown, d: ServiceDraft, ctx: ImportContext): void {
  eachEntry(value, d, 'configs', ctx, (entry) => {
    const ref = mountRef(entry, 'configs', d, ctx);
    if (!ref) return;
    const definition = own(ctx.configs, ref.source);
    const mountPath = ref.target?.startsWith('/') ? ref.target : `/${ref.target ?? ref.source}`;
    checkMountPath(mountPath);
    const content = isMap(definition) ? configContent(definition, ctx) : { reason: "the top-level 'configs' does not declare it" };
    if ('reason' in content) {
      ctx.report.warn(d.composeName, 'configs', `config ${show(ref.source)} at ${show(mountPath)} is left out: ${content.reason}`);
      return;
    }
    d.configFiles.push({ mountPath, content: content.content });
  });
}

function configContent(definition: YamlMap, ctx: ImportContext): { content: string } | { reason: string } {
  // Config files are plaintext in every output (a ConfigMap): never a credential.
  const credentials = credentialsIn(definition);
  if (credentials.length > 0)
    return { reason: `it would hold the credential ${credentials.map((n) => `\${${n}}`).join(', ')} in plaintext; make it a secret` };
  if (typeof definition.content === 'string') return { content: definition.content };
  if (typeof definition.file === 'string') return ctx.files.readText(definition.file);
  if (typeof definition.environment === 'string') {
    const value = own(ctx.environment, definition.environment);
    if (value !== undefined && (isSecretName(definition.environment, ctx.notSecret) || hasUrlPassword(value))) {
      return {
        reason: `variable ${definition.environment} holds a credential, which a config file would show in plaintext; make it a secret`,
      };
    }
    return value === undefined ? { reason: `variable ${definition.environment} is not set` } : { content: value };
  }
  return { reason: 'it is external (or has no file/content): its content is unknown' };
}

/** A short (`name`) or long (`{ source, target, uid, gid, mode }`) secret/config reference. */
function mountRef(entry: unknown, field: string, d: ServiceDraft, ctx: ImportContext): { source: string; target?: string } | undefined {
  if (typeof entry === 'string') return { source: entry };
  if (!isMap(entry) || typeof entry.source !== 'string') throw new ValueError("needs a name or a 'source'");
  const ignored = Object.keys(entry).filter((k) => k !== 'source' && k !== 'target');
  if (ignored.length > 0) {
    ctx.report.warn(
      d.composeName,
      field,
      `${ignored.join(', ')} of ${show(entry.source)} cannot be carried over: the model mounts it read-only with the target's ` +
        `default owner and mode`,
    );
  }
  return { source: entry.source, target: typeof entry.target === 'string' ? entry.target : undefined };
}
