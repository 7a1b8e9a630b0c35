/*
 * Every validation rule, as tables. Each rule names the field and shows the bad value; all failures are
 * collected and thrown together by `validateApplication`, before any backend writes anything.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Application } from './application';
import * as D from './defaults';
import { DependencyCondition, RestartPolicy, ServiceType } from './enums';
import { EnvSource, EnvValue } from './env-value';
import { Gateway } from './gateway';
import { Image } from './image';
import type { Microservice, MicroserviceProps, PortProps, SidecarProps } from './microservice';
import { defaultPortName, isDnsLabel, isDnsSubdomain, isEnvName, isLabelKey, isLabelValue, isPortName } from './names';
import { Probe, ProbeKind } from './probe';
import { ResourcesProps } from './resources';
import { SecurityProps } from './security';

/** Thrown when a definition is invalid; `errors` holds one message per broken rule. */
export class ValidationError extends Error {
  constructor(public readonly errors: string[]) {
    super(errors.join('\n'));
    this.name = 'ValidationError';
  }
}

/** A service as seen by the rules. */
export interface ServiceEntry {
  readonly construct: Microservice;
  readonly name: string;
  readonly props: MicroserviceProps;
}

export interface ValidationContext {
  readonly app: Application;
  readonly services: ServiceEntry[];
  readonly byConstruct: Map<Microservice, ServiceEntry>;
}

type ServiceRule = (s: ServiceEntry, ctx: ValidationContext) => Array<string | undefined> | string | undefined;
type AppRule = (ctx: ValidationContext) => Array<string | undefined> | string | undefined;

const show = (v: unknown) => JSON.stringify(v);
const isInt = (n: unknown) => typeof n === 'number' && Number.isInteger(n);
const inRange = (n: number, lo: number, hi: number) => isInt(n) && n >= lo && n <= hi;
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const QUANTITY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;
const CAPABILITY = /^[A-Z][A-Z_]*$/;
/** A signal name as Docker takes it for STOPSIGNAL (`SIGINT`, `SIGRTMIN`, `SIGUSR1`). */
const SIGNAL = /^SIG[A-Z0-9]+$/;
/** Labels the model sets itself; selectors depend on them, so users must not override them. */
const RESERVED_LABELS = [D.LABEL_NAME, D.LABEL_PART_OF, D.LABEL_MANAGED_BY];
/** Gateway route paths: safe in an Ingress path and in an nginx `location` (no ';', '{', quotes or spaces). */
const ROUTE_PATH = /^\/[-A-Za-z0-9._~\/]*$/;
/** Docker image reference grammar (distribution/reference): `[domain[:port]/]path[:tag][@digest]`. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const IMAGE_REFERENCE = new RegExp(
  `^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*` +
    '(?::([\\w][\\w.-]{0,127}))?(@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$',
);
/** Names that hold credentials: such variables need a secret reference, not a plaintext value. */
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)(?!.*_(FILE|PATH|NAME|USER|HOST|URL)$)/i;

/** Errors of an image reference; `where` is the field ('image', 'sidecars[envoy].image'). */
export function imageErrors(image: Image | undefined, where: string): string[] {
  if (!image) return [`'${where}' is required`];
  const errors: string[] = [];
  if (image.build) {
    if (!image.build.context) errors.push(`'${where}' build context must not be empty`);
    else {
      const dockerfile = path.resolve(image.build.context, image.build.dockerfile);
      if (!fs.existsSync(dockerfile)) errors.push(`'${where}' Dockerfile not found, got ${show(dockerfile)}`);
    }
    if (image.reference !== undefined) errors.push(...referenceErrors(image.reference, where, false));
    return errors;
  }
  return referenceErrors(image.reference ?? '', where, image.allowUnpinned);
}

function referenceErrors(ref: string, where: string, allowUnpinned: boolean): string[] {
  if (typeof ref !== 'string' || !ref.trim()) return [`'${where}' must not be empty`];
  const match = ref.length <= 512 ? IMAGE_REFERENCE.exec(ref) : null;
  if (!match) return [`'${where}' is not a valid image reference, got ${show(ref)}`];
  const [, tag, digest] = match;
  if (digest || allowUnpinned) return [];
  if (tag === undefined) return [`'${where}' must pin a tag (e.g. redis:7.2), got ${show(ref)}`];
  if (tag === 'latest') return [`'${where}' must not use the ':latest' tag, got ${show(ref)}`];
  return [];
}

function portErrors(ports: PortProps[], where: string): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  const names = new Set<string>();
  ports.forEach((p, i) => {
    if (!inRange(p.port, 1, 65535)) errors.push(`'${where}[${i}].port' must be an integer in 1..65535, got ${show(p.port)}`);
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (seen.has(key)) errors.push(`'${where}' declares port ${key} twice`);
    seen.add(key);
    const name = p.name ?? defaultPortName(p.port, p.protocol);
    if (p.name !== undefined && !isPortName(p.name)) {
      errors.push(`'${where}[${i}].name' must be an IANA service name (lowercase, <= 15 characters, a letter), got ${show(p.name)}`);
    }
    if (names.has(name)) errors.push(`'${where}' declares port name ${show(name)} twice`);
    names.add(name);
    if (p.publish !== undefined && !inRange(p.publish, 1, 65535)) {
      errors.push(`'${where}[${i}].publish' must be an integer in 1..65535, got ${show(p.publish)}`);
    }
    if (p.appProtocol !== undefined && !/^[a-z][a-z0-9+.-]*$/.test(p.appProtocol)) {
      errors.push(`'${where}[${i}].appProtocol' must be a URL scheme, got ${show(p.appProtocol)}`);
    }
  });
  return errors;
}

function envErrors(env: Record<string, EnvValue> | undefined, where: string, ctx: ValidationContext): string[] {
  const errors: string[] = [];
  const config = ctx.app.props.config ?? {};
  for (const [name, value] of Object.entries(env ?? {})) {
    if (!isEnvName(name)) errors.push(`'${where}' variable name must match [A-Za-z_][A-Za-z0-9_]*, got ${show(name)}`);
    if (!(value instanceof EnvValue)) {
      errors.push(`'${where}.${name}' must be an EnvValue (EnvValue.fromValue/fromSecret/fromConfig), got ${show(value)}`);
      continue;
    }
    // The value itself is not shown: it is a credential and error messages end up in CI logs.
    if (value.source === EnvSource.VALUE && value.value && SECRET_LIKE.test(name)) {
      errors.push(`'${where}.${name}' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a secret, got a plaintext value`);
    }
    if (value.source === EnvSource.CONFIG && SECRET_LIKE.test(name)) {
      errors.push(`'${where}.${name}' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a secret, got config key ${show(value.configKey)} (written in plain text)`);
    }
    if (value.source === EnvSource.SECRET) errors.push(...secretRefErrors(value.secret!.name, value.secret!.key, `${where}.${name}`));
    if (value.source === EnvSource.CONFIG && !(value.configKey! in config)) {
      errors.push(`'${where}.${name}' refers to config key ${show(value.configKey)} that the application's 'config' does not define`);
    }
  }
  return errors;
}

function secretRefErrors(name: string, key: string, where: string): string[] {
  const errors: string[] = [];
  if (!isDnsSubdomain(name)) errors.push(`'${where}' secret name must be a DNS-1123 subdomain, got ${show(name)}`);
  if (!SECRET_KEY.test(key)) errors.push(`'${where}' secret key must match [-._a-zA-Z0-9]+, got ${show(key)}`);
  return errors;
}

function resourcesErrors(r: ResourcesProps | undefined, where: string): string[] {
  const errors: string[] = [];
  const pairs: Array<[string, number | undefined, number | undefined]> = [
    ['cpu', r?.cpu?.request?.millis, r?.cpu?.limit?.millis],
    ['memory', r?.memory?.request?.mebibytes, r?.memory?.limit?.mebibytes],
  ];
  for (const [kind, request, limit] of pairs) {
    for (const [field, v] of [['request', request], ['limit', limit]] as const) {
      if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) {
        errors.push(`'${where}.${kind}.${field}' must be > 0, got ${show(v)}`);
      } else if (kind === 'cpu' && v !== undefined && !Number.isInteger(v)) {
        errors.push(`'${where}.cpu.${field}' must be a whole number of millicores, got ${show(v)}`);
      }
    }
    if (request !== undefined && limit !== undefined && request > limit) {
      errors.push(`'${where}.${kind}' request must be <= limit, got request ${request} > limit ${limit}`);
    }
  }
  return errors;
}

/**
 * A request set on a more specific level (sidecar, service) than the limit it is checked against (inherited
 * from the service, the application or the defaults) must not exceed it: resolve lowers only inherited
 * requests to a lower limit, never one the user gave explicitly. `levels` is most specific first.
 */
function inheritedResourcesErrors(levels: Array<[string, ResourcesProps | undefined]>, where: string): string[] {
  const errors: string[] = [];
  const kinds: Array<[string, (r: ResourcesProps | undefined) => [number | undefined, number | undefined], number, string]> = [
    ['cpu', (r) => [r?.cpu?.request?.millis, r?.cpu?.limit?.millis], D.DEFAULT_RESOURCES.cpuLimitMillis, 'millicores'],
    ['memory', (r) => [r?.memory?.request?.mebibytes, r?.memory?.limit?.mebibytes], D.DEFAULT_RESOURCES.memoryLimitMiB, 'MiB'],
  ];
  for (const [kind, get, defaultLimit, unit] of kinds) {
    const ri = levels.findIndex(([, r]) => get(r)[0] !== undefined);
    const li = levels.findIndex(([, r]) => get(r)[1] !== undefined);
    if (ri < 0 || (li >= 0 && li <= ri)) continue;
    const request = get(levels[ri][1])[0]!;
    const [limit, from] = li < 0 ? [defaultLimit, 'the defaults'] : [get(levels[li][1])[1]!, levels[li][0]];
    if (request > limit) errors.push(`'${where}.${kind}.request' must be <= the limit inherited from ${from} (${limit} ${unit}), got ${request}`);
  }
  return errors;
}

/** `user` 0 with `runAsNonRoot` true, checked on the merged settings (most specific level first). */
function rootErrors(levels: Array<SecurityProps | undefined>, where: string): string[] {
  const own = levels[0];
  if (!own || (own.user === undefined && own.runAsNonRoot === undefined)) return [];
  const user = levels.map((l) => l?.user).find((x) => x !== undefined) ?? D.DEFAULT_SECURITY.user;
  const runAsNonRoot = levels.map((l) => l?.runAsNonRoot).find((x) => x !== undefined) ?? D.DEFAULT_SECURITY.runAsNonRoot;
  return user === 0 && runAsNonRoot
    ? [`'${where}.user' must not be 0 (root) while 'runAsNonRoot' is true (set runAsNonRoot: false to run as root), got 0`]
    : [];
}

function securityErrors(s: SecurityProps | undefined, where: string): string[] {
  if (!s) return [];
  const errors: string[] = [];
  for (const field of ['user', 'group'] as const) {
    if (s[field] !== undefined && !inRange(s[field]!, 0, 2147483647)) errors.push(`'${where}.${field}' must be an integer >= 0, got ${show(s[field])}`);
  }
  for (const cap of s.capabilitiesAdd ?? []) {
    if (!CAPABILITY.test(cap) || cap.startsWith('CAP_')) errors.push(`'${where}.capabilitiesAdd' must hold names like NET_BIND_SERVICE, got ${show(cap)}`);
  }
  for (const p of s.writablePaths ?? []) {
    if (!path.posix.isAbsolute(p)) errors.push(`'${where}.writablePaths' must be absolute paths, got ${show(p)}`);
  }
  return errors;
}

function labelErrors(labels: Record<string, string> | undefined, where: string): string[] {
  const errors: string[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    if (RESERVED_LABELS.includes(k)) errors.push(`'${where}' must not set ${show(k)} (the model sets it and selectors rely on it), got ${show(v)}`);
    if (!isLabelKey(k)) errors.push(`'${where}' key must be a Kubernetes label key, got ${show(k)}`);
    if (typeof v !== 'string' || !isLabelValue(v)) errors.push(`'${where}.${k}' must be a Kubernetes label value (<= 63 characters), got ${show(v)}`);
  }
  return errors;
}

function probeErrors(probe: Probe | undefined, field: string, s: ServiceEntry): string[] {
  if (!probe) return [];
  const errors: string[] = [];
  const ports = s.props.ports ?? [];
  if (probe.kind === ProbeKind.COMMAND) {
    if (!probe.command || probe.command.length === 0 || probe.command.some((c) => typeof c !== 'string' || !c)) {
      errors.push(`'${field}' command must be a non-empty list of non-empty strings, got ${show(probe.command)}`);
    }
  } else if (probe.port === undefined && ports.length === 0) {
    errors.push(`'${field}' is a ${probe.kind} probe but the service declares no ports`);
  } else if (probe.port !== undefined && !ports.some((p) => p.port === probe.port)) {
    errors.push(`'${field}' probes port ${probe.port} that 'ports' does not declare (declared: ${show(ports.map((p) => p.port))})`);
  }
  if (probe.kind === ProbeKind.HTTP && !(probe.path ?? '').startsWith('/')) errors.push(`'${field}' path must start with '/', got ${show(probe.path)}`);
  const t = probe.timing;
  const timing: Array<[string, number | undefined, number]> = [
    ['initialDelaySeconds', t.initialDelaySeconds, 0],
    ['periodSeconds', t.periodSeconds, 1],
    ['timeoutSeconds', t.timeoutSeconds, 1],
    ['failureThreshold', t.failureThreshold, 1],
  ];
  for (const [name, v, min] of timing) {
    if (v !== undefined && !(isInt(v) && v >= min)) errors.push(`'${field}.${name}' must be an integer >= ${min}, got ${show(v)}`);
  }
  return errors;
}

function sidecarErrors(sc: SidecarProps, i: number, s: ServiceEntry, ctx: ValidationContext): string[] {
  const where = `sidecars[${sc.name ?? i}]`;
  const errors: string[] = [];
  if (!isDnsLabel(sc.name ?? '')) errors.push(`'${where}.name' must be a DNS-1123 label, got ${show(sc.name)}`);
  if (sc.name === s.name) errors.push(`'${where}.name' must differ from the service name, got ${show(sc.name)}`);
  errors.push(...imageErrors(sc.image, `${where}.image`));
  errors.push(...portErrors(sc.ports ?? [], `${where}.ports`));
  const earlier = s.construct.sidecars.slice(0, i);
  for (const p of sc.ports ?? []) {
    if ((s.props.ports ?? []).some((q) => q.port === p.port)) errors.push(`'${where}.ports' port ${p.port} clashes with the service's port (they share one network namespace)`);
    const other = earlier.find((o) => (o.ports ?? []).some((q) => q.port === p.port));
    if (other) errors.push(`'${where}.ports' port ${p.port} clashes with the port of sidecar '${other.name}' (they share one network namespace)`);
  }
  errors.push(
    ...envErrors(sc.env, `${where}.env`, ctx),
    ...resourcesErrors(sc.resources, `${where}.resources`),
    ...inheritedResourcesErrors([['the sidecar', sc.resources], ['the service', s.props.resources], ['the application', ctx.app.props.resources]], `${where}.resources`),
    ...securityErrors(sc.security, `${where}.security`),
    ...rootErrors([sc.security, s.props.security, ctx.app.props.security], `${where}.security`),
  );
  if (sc.command && sc.command.length === 0) errors.push(`'${where}.command' must not be empty, got []`);
  return errors;
}

/** Mount paths of a service, with the field that declares each. */
function mountPaths(p: MicroserviceProps, app: Application): Array<[string, string]> {
  const writable = p.security?.writablePaths ?? app.props.security?.writablePaths ?? ['/tmp'];
  const readOnlyRoot = p.security?.readOnlyRootFilesystem ?? app.props.security?.readOnlyRootFilesystem ?? true;
  return [
    ...(p.volumes ?? []).map((v, i): [string, string] => [`volumes[${i}].mountPath`, v.mountPath]),
    ...(p.configFiles ?? []).map((c, i): [string, string] => [`configFiles[${i}].mountPath`, c.mountPath]),
    ...(p.secretFiles ?? []).map((c, i): [string, string] => [`secretFiles[${i}].mountPath`, c.mountPath]),
    ...(readOnlyRoot ? writable.map((w, i): [string, string] => [`security.writablePaths[${i}]`, w]) : []),
  ];
}

const volumeOwners = new WeakMap<ValidationContext, Map<string, ServiceEntry>>();

/** The first service declaring each persistent volume name, computed once per validation. */
function persistentVolumeOwners(ctx: ValidationContext): Map<string, ServiceEntry> {
  let owners = volumeOwners.get(ctx);
  if (!owners) {
    owners = new Map();
    for (const s of ctx.services) {
      for (const v of s.props.volumes ?? []) if (!v.scratch && !owners.has(v.name)) owners.set(v.name, s);
    }
    volumeOwners.set(ctx, owners);
  }
  return owners;
}

/** Rules about one service. */
const SERVICE_RULES: ServiceRule[] = [
  // Starting with a letter: Kubernetes Service names are DNS-1035 labels and the name prefixes env variables.
  (s) => (isDnsLabel(s.name) && /^[a-z]/.test(s.name) ? undefined : `'name' must be a DNS-1123 label starting with a letter (lowercase alphanumerics and '-', <= 63 characters), got ${show(s.name)}`),
  (s) => imageErrors(s.props.image, 'image'),
  (s) => portErrors(s.props.ports ?? [], 'ports'),
  (s) => {
    const r = s.props.replicas;
    if (r === undefined) return undefined;
    if (!isInt(r)) return `'replicas' must be an integer, got ${show(r)}`;
    return r < 0 ? `'replicas' must be >= 0, got ${r}` : undefined;
  },
  (s) => {
    const a = s.props.autoscaling;
    if (!a) return undefined;
    return [
      s.props.replicas !== undefined ? `'autoscaling' and 'replicas' are mutually exclusive, got replicas ${show(s.props.replicas)}` : undefined,
      !(isInt(a.minReplicas) && a.minReplicas >= 1) ? `'autoscaling.minReplicas' must be an integer >= 1, got ${show(a.minReplicas)}` : undefined,
      !isInt(a.maxReplicas) ? `'autoscaling.maxReplicas' must be an integer, got ${show(a.maxReplicas)}` : undefined,
      a.minReplicas > a.maxReplicas ? `'autoscaling.minReplicas' must be <= maxReplicas, got min ${a.minReplicas} > max ${a.maxReplicas}` : undefined,
      a.targetCpuPercent !== undefined && !inRange(a.targetCpuPercent, 1, 1000) ? `'autoscaling.targetCpuPercent' must be an integer in 1..1000, got ${show(a.targetCpuPercent)}` : undefined,
      (s.props.restartPolicy ?? RestartPolicy.ALWAYS) !== RestartPolicy.ALWAYS ? `'autoscaling' needs restartPolicy ALWAYS, got ${show(s.props.restartPolicy)}` : undefined,
    ];
  },
  (s, ctx) => envErrors(s.props.env, 'env', ctx),
  (s, ctx) => {
    // Injected discovery variables must not be shadowed by the user's own.
    const userVars = new Set(Object.keys(s.props.env ?? {}));
    return s.construct.dependsOn.flatMap(({ service }) => {
      const dep = ctx.byConstruct.get(service);
      if (!dep) return [];
      const prefix = dep.name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
      return ['HOST', 'PORT', 'URL'].filter((x) => userVars.has(`${prefix}_${x}`)).map((x) => `'env.${prefix}_${x}' clashes with the variable injected for dependency '${dep.name}'`);
    });
  },
  (s, ctx) =>
    s.construct.dependsOn.map(({ service, condition }) => {
      const dep = ctx.byConstruct.get(service);
      if (service === s.construct) return `'dependsOn' must not contain the service itself, got '${s.name}'`;
      if (!dep) return `'dependsOn' refers to '${service.node.path}' which is outside application '${ctx.app.name}'`;
      if ((dep.props.ports ?? []).length === 0) return `'dependsOn' refers to '${dep.name}' which declares no ports to connect to`;
      const depHasHealth = !!(dep.props.healthcheck ?? dep.props.readinessProbe ?? dep.props.livenessProbe);
      if (condition === DependencyCondition.HEALTHY && !depHasHealth) return `'dependsOn' waits for '${dep.name}' to be healthy but '${dep.name}' has no probe or healthcheck`;
      return undefined;
    }),
  (s, ctx) => {
    const errors: string[] = [];
    const names = new Set<string>();
    (s.props.volumes ?? []).forEach((v, i) => {
      if (!isDnsLabel(v.name ?? '')) errors.push(`'volumes[${i}].name' must be a DNS-1123 label, got ${show(v.name)}`);
      if (names.has(v.name)) errors.push(`'volumes' declares ${show(v.name)} twice`);
      names.add(v.name);
      if (v.size !== undefined && !(QUANTITY.test(v.size) && parseFloat(v.size) > 0)) errors.push(`'volumes[${i}].size' must be a quantity like 1Gi, got ${show(v.size)}`);
      if (v.scratch && v.size !== undefined) errors.push(`'volumes[${i}].size' applies to persistent volumes only; ${show(v.name)} is scratch`);
    });
    const owners = persistentVolumeOwners(ctx);
    for (const v of (s.props.volumes ?? []).filter((x) => !x.scratch)) {
      const owner = owners.get(v.name);
      if (owner && owner !== s) errors.push(`'volumes' persistent volume ${show(v.name)} is already owned by service '${owner.name}'`);
    }
    return errors;
  },
  (s, ctx) => {
    const errors: string[] = [];
    const seen = new Map<string, string>();
    for (const [field, p] of mountPaths(s.props, ctx.app)) {
      // Writable paths are checked (once) by the security rule.
      if (!field.startsWith('security.') && (typeof p !== 'string' || !path.posix.isAbsolute(p))) errors.push(`'${field}' must be an absolute path, got ${show(p)}`);
      const key = path.posix.normalize(String(p)).replace(/(.)\/+$/, '$1');
      const clash = seen.get(key);
      if (clash) errors.push(`'${field}' mount path ${show(p)} clashes with '${clash}'`);
      else seen.set(key, field);
    }
    return errors;
  },
  (s) => (s.props.secretFiles ?? []).flatMap((f, i) => secretRefErrors(f.secretName, f.key, `secretFiles[${i}]`)),
  (s) => (s.props.configFiles ?? []).map((f, i) => (typeof f.content !== 'string' ? `'configFiles[${i}].content' must be a string, got ${show(f.content)}` : undefined)),
  (s) => [
    ...probeErrors(s.props.livenessProbe, 'livenessProbe', s),
    ...probeErrors(s.props.readinessProbe, 'readinessProbe', s),
    ...probeErrors(s.props.startupProbe, 'startupProbe', s),
    ...probeErrors(s.props.healthcheck, 'healthcheck', s),
  ],
  (s, ctx) => [
    ...resourcesErrors(s.props.resources, 'resources'),
    ...inheritedResourcesErrors([['the service', s.props.resources], ['the application', ctx.app.props.resources]], 'resources'),
  ],
  (s, ctx) => [...securityErrors(s.props.security, 'security'), ...rootErrors([s.props.security, ctx.app.props.security], 'security')],
  (s) => labelErrors(s.props.labels, 'labels'),
  (s) => {
    const m = s.props.metrics;
    if (!m) return undefined;
    return [
      !(s.props.ports ?? []).some((p) => p.port === m.port) ? `'metrics.port' must be one of the service's ports ${show((s.props.ports ?? []).map((p) => p.port))}, got ${show(m.port)}` : undefined,
      m.path !== undefined && !m.path.startsWith('/') ? `'metrics.path' must start with '/', got ${show(m.path)}` : undefined,
    ];
  },
  (s, ctx) => s.construct.sidecars.flatMap((sc, i) => sidecarErrors(sc, i, s, ctx)),
  (s) => [
    s.props.command && s.props.command.length === 0 ? `'command' must not be empty, got []` : undefined,
    s.props.restartPolicy !== undefined && !Object.values(RestartPolicy).includes(s.props.restartPolicy) ? `'restartPolicy' must be one of ${Object.values(RestartPolicy).join(', ')}, got ${show(s.props.restartPolicy)}` : undefined,
  ],
  (s) => {
    const { stopSignal, stopGracePeriodSeconds: grace } = s.props;
    return [
      stopSignal !== undefined && !(typeof stopSignal === 'string' && SIGNAL.test(stopSignal)) ? `'stopSignal' must be a signal name like SIGINT (^SIG[A-Z0-9]+$), got ${show(stopSignal)}` : undefined,
      grace !== undefined && !inRange(grace, 0, 2147483647) ? `'stopGracePeriodSeconds' must be an integer >= 0, got ${show(grace)}` : undefined,
    ];
  },
  (s) => {
    const type = s.props.serviceType ?? ServiceType.CLUSTER_IP;
    if (type === ServiceType.CLUSTER_IP) return undefined;
    if ((s.props.ports ?? []).length === 0) return `'serviceType' ${type} needs at least one port`;
    if (type === ServiceType.NODE_PORT) {
      return (s.props.ports ?? []).map((p, i) => (p.publish !== undefined && !inRange(p.publish, 30000, 32767) ? `'ports[${i}].publish' must be in 30000..32767 for serviceType NodePort, got ${p.publish}` : undefined));
    }
    return undefined;
  },
];

/** Rules about the gateway. */
function gatewayErrors(g: Gateway, ctx: ValidationContext): string[] {
  const errors: string[] = [];
  for (const r of g.routes) {
    if (typeof r.path !== 'string' || !ROUTE_PATH.test(r.path)) errors.push(`'routes' path must start with '/' and hold only letters, digits and '-._~/', got ${show(r.path)}`);
    const target = ctx.byConstruct.get(r.service);
    if (!target) {
      errors.push(`'routes[${r.path}]' refers to '${r.service.node.path}' which is outside application '${ctx.app.name}'`);
      continue;
    }
    const ports = target.props.ports ?? [];
    if (ports.length === 0) errors.push(`'routes[${r.path}]' targets service '${target.name}' which declares no ports`);
    else if (r.port !== undefined && !ports.some((p) => p.port === r.port)) {
      errors.push(`'routes[${r.path}]' targets port ${r.port} of service '${target.name}' which declares ports ${show(ports.map((p) => p.port))}`);
    }
  }
  if (g.props.host !== undefined && !isDnsSubdomain(g.props.host)) errors.push(`'host' must be a DNS name, got ${show(g.props.host)}`);
  if (g.props.publish !== undefined && !inRange(g.props.publish, 1, 65535)) errors.push(`'publish' must be an integer in 1..65535, got ${show(g.props.publish)}`);
  if (g.props.image !== undefined) errors.push(...referenceErrors(g.props.image, 'image', false));
  if (!isDnsLabel(g.node.id.toLowerCase())) errors.push(`'id' must be a DNS-1123 label, got ${show(g.node.id)}`);
  return errors.map((e) => `gateway '${g.node.id}': ${e}`);
}

/** Every gateway in the application's tree. */
export function gatewaysOf(app: Application): Gateway[] {
  return app.node.findAll().filter(Gateway.isGateway);
}

/** Rules about the whole application. */
const APP_RULES: AppRule[] = [
  (ctx) => (isDnsLabel(ctx.app.name) ? undefined : `application: 'name' must be a DNS-1123 label, got ${show(ctx.app.name)}`),
  (ctx) => (ctx.app.props.namespace !== undefined && !isDnsLabel(ctx.app.props.namespace) ? `application '${ctx.app.name}': 'namespace' must be a DNS-1123 label, got ${show(ctx.app.props.namespace)}` : undefined),
  (ctx) => {
    const errors: string[] = [];
    const first = new Map<string, ServiceEntry>();
    for (const s of ctx.services) {
      const prior = first.get(s.name);
      if (prior) errors.push(`service '${s.name}': 'name' is used twice, by '${prior.construct.node.path}' and '${s.construct.node.path}'`);
      else first.set(s.name, s);
    }
    return errors;
  },
  (ctx) => {
    const owners = new Map<number, string>();
    const errors: string[] = [];
    const claim = (port: number, owner: string) => {
      const prior = owners.get(port);
      if (prior) errors.push(`${owner}: published host port ${port} is already published by ${prior}`);
      else owners.set(port, owner);
    };
    for (const s of ctx.services) {
      for (const p of [...(s.props.ports ?? []), ...s.construct.sidecars.flatMap((sc) => sc.ports ?? [])]) {
        if (p.publish !== undefined) claim(p.publish, `service '${s.name}'`);
      }
    }
    for (const g of gatewaysOf(ctx.app)) if (g.routes.length > 0) claim(g.props.publish ?? 8080, `gateway '${g.node.id}'`);
    return errors;
  },
  (ctx) => {
    const gateways = gatewaysOf(ctx.app);
    return [
      gateways.length > 1 ? `application '${ctx.app.name}': at most one gateway, got ${gateways.length} (${gateways.map((g) => g.node.path).join(', ')})` : undefined,
      ...gateways.flatMap((g) => gatewayErrors(g, ctx)),
    ];
  },
  (ctx) => cycleErrors(ctx),
  (ctx) => [
    ...resourcesErrors(ctx.app.props.resources, 'resources'),
    ...securityErrors(ctx.app.props.security, 'security'),
    ...rootErrors([ctx.app.props.security], 'security'),
    ...labelErrors(ctx.app.props.labels, 'labels'),
    ...Object.keys(ctx.app.props.config ?? {}).filter((k) => !/^[-._a-zA-Z0-9]+$/.test(k)).map((k) => `'config' key must match [-._a-zA-Z0-9]+, got ${show(k)}`),
    ...Object.entries(ctx.app.props.imageOverrides ?? {}).flatMap(([from, to]) => referenceErrors(to, `imageOverrides[${from}]`, false)),
    ...(ctx.app.props.waitImage !== undefined ? referenceErrors(ctx.app.props.waitImage, 'waitImage', false) : []),
  ].map((e) => `application '${ctx.app.name}': ${e}`),
];

/** Dependency cycles, each shown as a path `a -> b -> a`. */
function cycleErrors(ctx: ValidationContext): string[] {
  const errors: string[] = [];
  const state = new Map<ServiceEntry, 'visiting' | 'done'>();
  const stack: ServiceEntry[] = [];
  const visit = (s: ServiceEntry) => {
    if (state.get(s) === 'done') return;
    if (state.get(s) === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(s)), s].map((x) => x.name);
      errors.push(`service '${s.name}': 'dependsOn' forms a cycle: ${cycle.join(' -> ')}`);
      return;
    }
    state.set(s, 'visiting');
    stack.push(s);
    for (const { service } of s.construct.dependsOn) {
      const dep = ctx.byConstruct.get(service);
      if (dep && dep !== s) visit(dep);
    }
    stack.pop();
    state.set(s, 'done');
  };
  ctx.services.forEach(visit);
  return errors;
}

/** Runs every rule; throws one ValidationError listing all failures. */
export function validateApplication(ctx: ValidationContext): void {
  const errors: string[] = [];
  const collect = (out: Array<string | undefined> | string | undefined, prefix: string) => {
    for (const e of Array.isArray(out) ? out : [out]) if (e) errors.push(prefix + e);
  };
  for (const s of ctx.services) for (const rule of SERVICE_RULES) collect(rule(s, ctx), `service '${s.name}': `);
  for (const rule of APP_RULES) collect(rule(ctx), '');
  if (errors.length > 0) throw new ValidationError(errors);
}
