/*
 * A finished draft -> MicroserviceProps: the image (build or registry), ports, resources and security, each with the
 * defaults decided for imports (see ImportSecurity).
 */
import * as path from 'path';
import {
  Cpu,
  DEFAULT_BUILD_TAG,
  DEFAULT_RESOURCES,
  DEFAULT_SECURITY,
  Image,
  Memory,
  MicroserviceProps,
  PortProps,
  Protocol,
  ResourcesProps,
  SecurityProps,
  brokenPodSecurity,
  PodSecurityLevel,
  resolveSecurity,
} from '../model';
import { BuildDraft, ImportContext, ServiceDraft } from './context';
import { ImportSecurity } from './options';
import { DOCKER_DEFAULT_CAPABILITIES } from './rules';
import { show } from './values';

/** The container image: a registry image, or a Dockerfile build when its Dockerfile is in the project. */
export function importImage(d: ServiceDraft, ctx: ImportContext): Image {
  if (!d.build) {
    if (d.imageRef === undefined) throw new Error(`service '${d.composeName}': 'image' or 'build' is required`);
    return registryImage(d.imageRef, d, 'image', ctx);
  }
  const dockerfile = buildDockerfile(d.build, ctx);
  const tag = d.imageRef !== undefined && isUnpinned(d.imageRef) ? `${d.imageRef.replace(/:latest$/, '')}:dev` : d.imageRef;
  if (typeof dockerfile === 'string') {
    if (tag !== d.imageRef)
      ctx.report.info(d.composeName, 'image', `the build is tagged ${show(tag)}: the model pins built images, ${show(d.imageRef)} is not`);
    const b = d.build;
    return Image.fromDockerfile(dockerfile, {
      ...(b.dockerfile !== undefined ? { dockerfile: b.dockerfile } : {}),
      ...(Object.keys(b.args).length > 0 ? { buildArgs: b.args } : {}),
      ...(b.target !== undefined ? { target: b.target } : {}),
      ...(tag !== undefined ? { tag } : {}),
    });
  }
  const reference = d.imageRef ?? DEFAULT_BUILD_TAG(ctx.appName, d.name);
  (dockerfile.outside ? ctx.report.error.bind(ctx.report) : ctx.report.warn.bind(ctx.report))(
    d.composeName,
    'build',
    `cannot be carried over: ${dockerfile.reason}; the service runs the prebuilt image ${show(reference)} instead: build and push ` +
      `it (docker build -t ${reference} ${d.build.context})`,
  );
  return registryImage(reference, d, 'build', ctx);
}

function registryImage(reference: string, d: ServiceDraft, field: string, ctx: ImportContext): Image {
  if (!isUnpinned(reference)) return Image.fromRegistry(reference);
  ctx.report.warn(
    d.composeName,
    field,
    `${show(reference)} is not pinned to a version (no tag or :latest): imported with allowUnpinned; pin a tag for repeatable deployments`,
  );
  return Image.fromRegistry(reference, { allowUnpinned: true });
}

/** Whether `reference` has no tag (or `latest`) and no digest. */
function isUnpinned(reference: string): boolean {
  if (reference.includes('@')) return false;
  const last = reference.split('/').pop()!;
  return !last.includes(':') || last.endsWith(':latest');
}

/**
 * The absolute build context when it and its Dockerfile (a regular file) are in the project, symlinks followed,
 * else why not; `outside` when a path leaves the project directory (`dockerfile: /etc/passwd`, a context that
 * links out), which is an error like every other path outside baseDir.
 */
function buildDockerfile(build: BuildDraft, ctx: ImportContext): string | { reason: string; outside?: boolean } {
  if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(build.context)) return { reason: `the context ${show(build.context)} is remote` };
  if (!ctx.files.available) return { reason: `no baseDir was given to find the context ${show(build.context)}` };
  const outside = (reason: string) => ({ reason, outside: / outside the project directory$/.test(reason) });
  const context = ctx.files.locate(build.context, `the context ${show(build.context)}`);
  if ('reason' in context) return outside(context.reason);
  if (!context.stat.isDirectory()) return { reason: `the context ${show(build.context)} is not a directory` };
  const root = ctx.files.resolve('.')!;
  const file = path.resolve(context.absolute, build.dockerfile ?? 'Dockerfile');
  const dockerfile = ctx.files.locate(path.relative(root, file), `the Dockerfile ${show(build.dockerfile ?? path.relative(root, file))}`);
  if ('reason' in dockerfile) return outside(dockerfile.reason);
  if (!dockerfile.stat.isFile()) return { reason: `the Dockerfile ${show(build.dockerfile ?? 'Dockerfile')} is not a regular file` };
  return context.absolute;
}

/** Container ports; published host ports are checked across services later. */
export function importPorts(d: ServiceDraft): PortProps[] {
  return d.ports.map((p) => {
    const name = p.name;
    return {
      port: p.port,
      ...(name !== undefined ? { name } : {}),
      ...(p.protocol === 'udp' ? { protocol: Protocol.UDP } : {}),
      ...(p.appProtocol !== undefined && /^[a-z][a-z0-9+.-]*$/.test(p.appProtocol) ? { appProtocol: p.appProtocol } : {}),
      ...(p.publish !== undefined ? { publish: p.publish } : {}),
    };
  });
}

/** CPU and memory; a reservation above the limit the service would inherit raises that limit. */
export function importResourceProps(
  d: ServiceDraft,
  ctx: ImportContext,
  inherited: ResourcesProps | undefined,
): ResourcesProps | undefined {
  const kinds = [
    ['cpu', d.cpu, inherited?.cpu?.limit?.millis ?? DEFAULT_RESOURCES.cpuLimitMillis, (n: number) => Cpu.millis(n)],
    ['memory', d.memory, inherited?.memory?.limit?.mebibytes ?? DEFAULT_RESOURCES.memoryLimitMiB, (n: number) => Memory.mebibytes(n)],
  ] as const;
  const out: Record<string, { request?: Cpu | Memory; limit?: Cpu | Memory }> = {};
  for (const [kind, r, inheritedLimit, make] of kinds) {
    let { request, limit } = r;
    if (request !== undefined && limit !== undefined && request > limit) {
      ctx.report.warn(
        d.composeName,
        'deploy.resources',
        `${kind} reservation ${request} exceeds the limit ${limit}: the reservation is lowered to the limit`,
      );
      request = limit;
    }
    if (request !== undefined && limit === undefined && request > inheritedLimit) {
      ctx.report.info(
        d.composeName,
        'deploy.resources',
        `${kind} reservation ${request} exceeds the inherited limit ${inheritedLimit}: the limit is raised to the reservation`,
      );
      limit = request;
    }
    if (request !== undefined || limit !== undefined) {
      out[kind] = { ...(request !== undefined ? { request: make(request) } : {}), ...(limit !== undefined ? { limit: make(limit) } : {}) };
    }
  }
  if (d.cpu.limit === undefined && d.memory.limit === undefined) {
    ctx.report.info(
      d.composeName,
      'deploy.resources',
      "sets no limits: the application's resource defaults apply (compose has none); pass props.resources to change them",
    );
  }
  return Object.keys(out).length > 0 ? (out as ResourcesProps) : undefined;
}

/** Security settings: what the file states, else the mode's defaults (see ImportSecurity). */
export function importSecurityProps(d: ServiceDraft, ctx: ImportContext, mountPaths: string[]): SecurityProps | undefined {
  const s = d.security;
  const compose = ctx.security === ImportSecurity.COMPOSE;
  if (!s.userGiven) {
    ctx.report.info(
      d.composeName,
      'user',
      compose
        ? "is not set: runs as root (uid 0), as Docker does (security 'compose'); set user: to harden it"
        : `is not set: runs as the model's non-root default ${DEFAULT_SECURITY.user}:${DEFAULT_SECURITY.group}, not as the image's ` +
            `user; set user: (or import with security 'compose') if the image needs its own`,
    );
  }
  if (s.readOnly === undefined) {
    ctx.report.info(
      d.composeName,
      'read_only',
      compose
        ? "is not set: the root filesystem is writable, as in Docker (security 'compose')"
        : `is not set: the root filesystem is read-only (writable: ${DEFAULT_SECURITY.writablePaths.join(', ')}, volumes); set ` +
            `read_only: false if the image writes elsewhere`,
    );
  }
  const user = s.user ?? (compose ? 0 : undefined);
  const readOnly = s.readOnly ?? (compose ? false : undefined);
  const dockerCaps = compose && !s.capDrop.includes('ALL') ? DOCKER_DEFAULT_CAPABILITIES.filter((c) => !s.capDrop.includes(c)) : [];
  const capabilitiesAdd = [...new Set([...dockerCaps, ...s.capAdd])];
  // A volume at a default writable path (e.g. /tmp) replaces it; the model refuses two mounts at one path.
  const writable = DEFAULT_SECURITY.writablePaths.filter((p) => !mountPaths.includes(p));
  const props: SecurityProps = {
    ...(user !== undefined ? { user } : {}),
    ...(s.group !== undefined || compose ? { group: s.group ?? 0 } : {}),
    ...(user === 0 ? { runAsNonRoot: false } : {}),
    ...(readOnly !== undefined ? { readOnlyRootFilesystem: readOnly } : {}),
    ...(readOnly !== false && writable.length !== DEFAULT_SECURITY.writablePaths.length ? { writablePaths: writable } : {}),
    ...(compose ? { allowPrivilegeEscalation: true } : {}),
    ...(capabilitiesAdd.length > 0 ? { capabilitiesAdd } : {}),
  };
  // Settings the Pod Security Standards reject need the model's explicit opt-out naming the profile they break.
  const broken = brokenPodSecurity(resolveSecurity(DEFAULT_SECURITY, props, 'security', () => undefined));
  if (broken !== undefined) {
    (props as { breaksPodSecurity?: PodSecurityLevel }).breaksPodSecurity = broken;
    ctx.report.info(
      d.composeName,
      'security',
      `breaks the Kubernetes Pod Security profile '${broken}' (root, privilege escalation or added capabilities): marked ` +
        `breaksPodSecurity: '${broken}'`,
    );
  }
  return Object.keys(props).length > 0 ? props : undefined;
}

/** The props of a draft, except dependencies (added as edges) and ports (checked across services). */
export function draftProps(
  d: ServiceDraft,
  ctx: ImportContext,
  ports: PortProps[],
  inheritedResources: ResourcesProps | undefined,
): MicroserviceProps {
  const mountPaths = [...d.volumes, ...d.configFiles, ...d.secretFiles].map((m) => m.mountPath);
  const resources = importResourceProps(d, ctx, inheritedResources);
  const security = importSecurityProps(d, ctx, mountPaths);
  const optional = <T>(value: T | undefined, ok = value !== undefined) => (ok ? value : undefined);
  return dropUndefined({
    image: importImage(d, ctx),
    ports: optional(ports, ports.length > 0),
    env: optional(Object.fromEntries(d.env), d.env.size > 0),
    replicas: d.replicas,
    volumes: optional(d.volumes, d.volumes.length > 0),
    configFiles: optional(d.configFiles, d.configFiles.length > 0),
    secretFiles: optional(d.secretFiles, d.secretFiles.length > 0),
    readinessProbe: d.readinessProbe,
    command: d.command,
    args: d.args,
    resources,
    restartPolicy: d.restartPolicy,
    stopSignal: d.stopSignal,
    stopGracePeriodSeconds: d.stopGracePeriodSeconds,
    labels: optional(d.labels, Object.keys(d.labels).length > 0),
    security,
  });
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
