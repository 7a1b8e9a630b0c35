/*
 * One compose service -> a draft of MicroserviceProps. Every service key is in SERVICE_KEYS; a key that is not
 * there is reported as "cannot be carried over" (never dropped silently). Cross-service work (dependencies, ports
 * of dependencies, published host ports) is left to compose-import-graph.ts.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  Cpu, DEFAULT_BUILD_TAG, DEFAULT_RESOURCES, DEFAULT_SECURITY, DependencyCondition, EnvValue, Image, Memory,
  MicroserviceProps, PortProps, Probe, Protocol, ResourcesProps, RestartPolicy, SecurityProps, isPortName,
  secretVariable,
} from '../model';
import { BuildDraft, eachEntry, ImportContext, isMap, newDraft, ServiceDraft, YamlMap } from './compose-import-context';
import { importConfigs, importSecrets, importTmpfs, importVolumes } from './compose-import-mounts';
import { ImportSecurity } from './compose-import-options';
import {
  COMPOSE_HEALTHCHECK_DEFAULTS, DOCKER_DEFAULT_CAPABILITIES, isEnvName, isSecretName, labelProblem, toSecretKey,
  WELL_KNOWN_USERS,
} from './compose-import-rules';
import {
  commandWords, keyValueEntries, parseCpuMillis, parseDotenv, parseDuration, parseExposeEntry, parseMemoryMiB,
  parsePortEntry, stringList, ValueError,
} from './compose-import-values';

const show = (v: unknown) => JSON.stringify(v);

type KeyImporter = (value: unknown, d: ServiceDraft, ctx: ImportContext) => void;

/** The service keys the importer understands; each reports what it cannot carry over itself. */
const SERVICE_KEYS: Record<string, KeyImporter> = {
  image: (v, d) => {
    d.imageRef = String(v);
  },
  build: importBuild,
  ports: (v, d, ctx) => eachEntry(v, d, 'ports', ctx, (e) => addPort(parsePortEntry(e), 'ports', d, ctx)),
  expose: (v, d, ctx) => eachEntry(v, d, 'expose', ctx, (e) => addPort(parseExposeEntry(e), 'expose', d, ctx)),
  environment: (v, d) => {
    d.environmentVars.push(...keyValueEntries(v));
  },
  env_file: importEnvFile,
  volumes: importVolumes,
  tmpfs: importTmpfs,
  secrets: importSecrets,
  configs: importConfigs,
  networks: (v, d, ctx) => {
    const names = Array.isArray(v) ? v.map(String) : Object.keys(v ?? {});
    ctx.report.info(d.composeName, 'networks', `networks ${names.join(', ')} are not carried over: the model derives networks from dependencies, so the service reaches only the services it depends on`);
  },
  network_mode: (v, d, ctx) => ctx.report.notCarried(d.composeName, 'network_mode', `${show(v)}: the model gives every service its own network namespace (use sidecars to share one)`),
  depends_on: importDependsOn,
  links: (v, d, ctx) =>
    eachEntry(v, d, 'links', ctx, (e) => {
      const [service, alias] = String(e).split(':');
      if (alias && alias !== service) ctx.report.warn(d.composeName, 'links', `alias ${show(alias)} of ${show(service)} cannot be carried over: reach it as ${show(service)}`);
      d.dependencies.push({ service, condition: DependencyCondition.STARTED, field: 'links' });
    }),
  healthcheck: importHealthcheck,
  restart: (v, d, ctx) => {
    d.restartPolicy = restartPolicy(String(v), d, 'restart', ctx) ?? d.restartPolicy;
  },
  deploy: importDeploy,
  scale: (v, d, ctx) => setReplicas(v, d, 'scale', ctx),
  mem_limit: (v, d, ctx) => guarded(() => (d.memory.limit = parseMemoryMiB(v)), d, 'mem_limit', ctx),
  mem_reservation: (v, d, ctx) => guarded(() => (d.memory.request = parseMemoryMiB(v)), d, 'mem_reservation', ctx),
  cpus: (v, d, ctx) => guarded(() => (d.cpu.limit = parseCpuMillis(v)), d, 'cpus', ctx),
  command: (v, d, ctx) => guarded(() => (d.args = commandWords(v)), d, 'command', ctx),
  entrypoint: (v, d, ctx) =>
    guarded(() => {
      const words = commandWords(v);
      if (words.length === 0) throw new ValueError('is empty (it clears the image\'s entrypoint), which the model cannot express: the image\'s entrypoint stays');
      d.command = words;
    }, d, 'entrypoint', ctx),
  user: importUser,
  read_only: (v, d) => {
    d.security.readOnly = v === true || v === 'true';
  },
  cap_add: (v, d) => {
    d.security.capAdd.push(...stringList(v).map(capability));
  },
  cap_drop: (v, d, ctx) => {
    d.security.capDrop.push(...stringList(v).map(capability));
    if (!d.security.capDrop.includes('ALL')) ctx.report.info(d.composeName, 'cap_drop', 'the model drops ALL capabilities and adds back only cap_add (and, with security \'compose\', Docker\'s defaults minus cap_drop)');
  },
  labels: (v, d, ctx) => {
    for (const [key, value = ''] of keyValueEntries(v)) {
      const problem = labelProblem(key, value);
      if (problem) ctx.report.warn(d.composeName, 'labels', `label ${show(key)} ${problem}: it is left out`);
      else d.labels[key] = value;
    }
  },
  container_name: (v, d, ctx) => ctx.report.notCarried(d.composeName, 'container_name', `${show(v)}: names come from the service ('${ctx.appName}-${d.name}-1' in Docker, '${d.name}' in Kubernetes); other services reach it as '${d.name}'`),
  stop_signal: (v, d, ctx) => ctx.report.notCarried(d.composeName, 'stop_signal', `${show(v)}: containers are stopped with SIGTERM in every target; make the process exit on SIGTERM`),
};

/** Reads compose service `composeName` (model name `name`) into a draft. */
export function importService(composeName: string, name: string, definition: unknown, ctx: ImportContext): ServiceDraft {
  const d = newDraft(composeName, name);
  if (!isMap(definition)) throw new Error(`service '${composeName}': its definition must be a mapping, got ${show(definition)}`);
  for (const [key, value] of Object.entries(definition)) {
    if (key.startsWith('x-')) continue;
    const importer = Object.prototype.hasOwnProperty.call(SERVICE_KEYS, key) ? SERVICE_KEYS[key] : undefined;
    if (importer) importer(value, d, ctx);
    else ctx.report.notCarried(composeName, key);
  }
  finishEnvironment(d, ctx);
  return d;
}

/** Runs `fn`, reporting a value it cannot read under `field`. */
function guarded(fn: () => void, d: ServiceDraft, field: string, ctx: ImportContext): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    ctx.report.warn(d.composeName, field, `${e.message}; it is left out`);
  }
}

function importBuild(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  if (typeof v === 'string') {
    d.build = { context: v, args: {} };
    return;
  }
  if (!isMap(v)) throw new Error(`service '${d.composeName}': 'build' must be a path or a mapping, got ${show(v)}`);
  const args: Record<string, string> = {};
  for (const [name, value] of keyValueEntries(v.args)) {
    const resolved = value ?? ctx.environment[name];
    if (resolved === undefined) ctx.report.warn(d.composeName, 'build.args', `${name} has no value and is not set in the import environment: it is left out`);
    else args[name] = resolved;
  }
  for (const key of Object.keys(v).filter((k) => !['context', 'dockerfile', 'args', 'target'].includes(k))) {
    ctx.report.notCarried(d.composeName, `build.${key}`);
  }
  d.build = {
    context: v.context === undefined ? '.' : String(v.context),
    dockerfile: v.dockerfile === undefined ? undefined : String(v.dockerfile),
    args,
    target: v.target === undefined ? undefined : String(v.target),
  };
}

function addPort(spec: ReturnType<typeof parsePortEntry>, field: 'ports' | 'expose', d: ServiceDraft, ctx: ImportContext): void {
  const where = `${field} entry ${spec.publish ?? ''}${spec.publish ? ':' : ''}${spec.port}/${spec.protocol}`;
  if (spec.protocol !== 'tcp' && spec.protocol !== 'udp') throw new ValueError(`uses protocol ${show(spec.protocol)}; the model knows tcp and udp`);
  const { publish } = spec;
  let { name } = spec;
  if (spec.hostIp && !['0.0.0.0', '::'].includes(spec.hostIp)) {
    ctx.report.warn(d.composeName, field, `${where}: host address ${spec.hostIp} cannot be carried over: published ports listen on every interface`);
  }
  if (spec.randomHost && field === 'ports') {
    ctx.report.warn(d.composeName, field, `${where}: publishing on a host port Docker picks cannot be carried over: the port is declared, not published`);
  }
  if (spec.mode !== undefined && spec.mode !== 'ingress') {
    ctx.report.warn(d.composeName, field, `${where}: publishing mode ${show(spec.mode)} cannot be carried over: the port is published the default way`);
  }
  if (name !== undefined && !isPortName(name)) {
    ctx.report.warn(d.composeName, field, `${where}: port name ${show(name)} is not an IANA service name: the default name is used`);
    name = undefined;
  }
  const same = d.ports.find((p) => p.port === spec.port && p.protocol === spec.protocol);
  if (!same) {
    d.ports.push({ ...spec, publish, name, field });
    return;
  }
  // `expose` repeats a port `ports` publishes, or a container port is published twice.
  if (publish !== undefined && same.publish !== undefined && publish !== same.publish) {
    ctx.report.warn(d.composeName, field, `${where}: container port ${spec.port}/${spec.protocol} is already published on host port ${same.publish}; the model publishes a port once, so host port ${publish} is left out`);
  } else if (publish !== undefined) {
    d.ports[d.ports.indexOf(same)] = { ...same, publish };
  }
}

function importEnvFile(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const entries = Array.isArray(v) ? v : [v];
  for (const entry of entries) {
    const file = isMap(entry) ? String(entry.path) : String(entry);
    const required = !(isMap(entry) && entry.required === false);
    const read = ctx.files.readText(file);
    if ('content' in read) d.envFileVars.push(...Object.entries(parseDotenv(read.content)));
    else if (required) ctx.report.warn(d.composeName, 'env_file', `${show(file)} cannot be read (${read.reason}): its variables are left out; pass baseDir or list them under environment`);
  }
}

function importDependsOn(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  if (Array.isArray(v)) {
    for (const service of v) d.dependencies.push({ service: String(service), condition: DependencyCondition.STARTED, field: 'depends_on' });
    return;
  }
  for (const [service, options] of Object.entries(isMap(v) ? v : {})) {
    const o = isMap(options) ? options : {};
    const condition = String(o.condition ?? 'service_started');
    if (condition === 'service_completed_successfully') {
      ctx.report.warn(d.composeName, 'depends_on', `${service}: condition service_completed_successfully cannot be carried over: waits until '${service}' has started`);
    } else if (condition !== 'service_started' && condition !== 'service_healthy') {
      ctx.report.error(d.composeName, 'depends_on', `${service}: unknown condition ${show(condition)}: waits until '${service}' has started`);
    }
    for (const key of Object.keys(o).filter((k) => k !== 'condition')) {
      ctx.report.notCarried(d.composeName, 'depends_on', `'${key}' of ${service}`);
    }
    d.dependencies.push({ service, condition: condition === 'service_healthy' ? DependencyCondition.HEALTHY : DependencyCondition.STARTED, field: 'depends_on' });
  }
}

function importHealthcheck(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const h = isMap(v) ? v : {};
  const report = (m: string) => ctx.report.warn(d.composeName, 'healthcheck', m);
  const test = Array.isArray(h.test) ? h.test.map(String) : typeof h.test === 'string' ? ['CMD-SHELL', h.test] : undefined;
  if (h.disable === true || test?.[0] === 'NONE') {
    ctx.report.info(d.composeName, 'healthcheck', 'is disabled: the service gets no health check (an image HEALTHCHECK may still apply in Docker)');
    return;
  }
  if (!test || test.length < 2 || !['CMD', 'CMD-SHELL'].includes(test[0])) {
    report(`test ${show(h.test)} is not ["CMD", ...], ["CMD-SHELL", "..."] or a string: no health check is imported`);
    return;
  }
  // CMD-SHELL runs the string with the image's shell, as Docker does.
  const command = test[0] === 'CMD' ? test.slice(1) : ['/bin/sh', '-c', test.slice(1).join(' ')];
  const seconds = (key: string, fallback: number, min: number) => {
    if (h[key] === undefined) return fallback;
    try {
      return Math.max(min, Math.ceil(parseDuration(h[key])));
    } catch (e) {
      report(`${key} ${(e as Error).message}: Docker's default ${fallback}s is used`);
      return fallback;
    }
  };
  const retries = h.retries === undefined ? COMPOSE_HEALTHCHECK_DEFAULTS.retries : Number(h.retries);
  if (!Number.isInteger(retries) || retries < 1) report(`retries must be an integer >= 1, got ${show(h.retries)}: ${COMPOSE_HEALTHCHECK_DEFAULTS.retries} is used`);
  for (const key of Object.keys(h).filter((k) => !['test', 'interval', 'timeout', 'retries', 'start_period', 'disable'].includes(k))) {
    ctx.report.notCarried(d.composeName, `healthcheck.${key}`);
  }
  // Docker's defaults where the file is silent, so the check keeps its compose timing (the model's differ).
  d.readinessProbe = Probe.command(command, {
    periodSeconds: seconds('interval', COMPOSE_HEALTHCHECK_DEFAULTS.intervalSeconds, 1),
    timeoutSeconds: seconds('timeout', COMPOSE_HEALTHCHECK_DEFAULTS.timeoutSeconds, 1),
    failureThreshold: Number.isInteger(retries) && retries >= 1 ? retries : COMPOSE_HEALTHCHECK_DEFAULTS.retries,
    initialDelaySeconds: seconds('start_period', COMPOSE_HEALTHCHECK_DEFAULTS.startPeriodSeconds, 0),
  });
}

/** `restart` / `deploy.restart_policy.condition` as a RestartPolicy. */
function restartPolicy(value: string, d: ServiceDraft, field: string, ctx: ImportContext): RestartPolicy | undefined {
  const [policy, retries] = value.split(':');
  switch (policy) {
    case 'no':
    case 'none':
      return RestartPolicy.NEVER;
    case 'always':
    case 'any':
      return RestartPolicy.ALWAYS;
    case 'unless-stopped':
      ctx.report.info(d.composeName, field, 'unless-stopped becomes always: orchestrators restart a service until it is removed');
      return RestartPolicy.ALWAYS;
    case 'on-failure':
      if (retries) ctx.report.notCarried(d.composeName, field, `the retry limit ${retries} (the model retries without limit)`);
      return RestartPolicy.ON_FAILURE;
    default:
      ctx.report.error(d.composeName, field, `unknown restart policy ${show(value)}: the default (always) is used`);
      return undefined;
  }
}

function setReplicas(v: unknown, d: ServiceDraft, field: string, ctx: ImportContext): void {
  const n = Number(v);
  if (Number.isInteger(n) && n >= 0) d.replicas = n;
  else ctx.report.error(d.composeName, field, `must be an integer >= 0, got ${show(v)}: it is left out`);
}

function importDeploy(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const deploy = isMap(v) ? v : {};
  for (const [key, value] of Object.entries(deploy)) {
    if (key === 'replicas') setReplicas(value, d, 'deploy.replicas', ctx);
    else if (key === 'resources' && isMap(value)) importResources(value, d, ctx);
    else if (key === 'restart_policy' && isMap(value)) {
      if (value.condition !== undefined) d.restartPolicy = restartPolicy(String(value.condition), d, 'deploy.restart_policy', ctx) ?? d.restartPolicy;
      for (const k of Object.keys(value).filter((x) => x !== 'condition')) ctx.report.notCarried(d.composeName, `deploy.restart_policy.${k}`);
    } else ctx.report.notCarried(d.composeName, `deploy.${key}`);
  }
}

function importResources(r: YamlMap, d: ServiceDraft, ctx: ImportContext): void {
  const levels: Array<['limits' | 'reservations', 'limit' | 'request']> = [['limits', 'limit'], ['reservations', 'request']];
  for (const [level, slot] of levels) {
    const values = isMap(r[level]) ? (r[level] as YamlMap) : {};
    for (const [key, value] of Object.entries(values)) {
      const field = `deploy.resources.${level}.${key}`;
      if (key === 'cpus') guarded(() => (d.cpu[slot] = parseCpuMillis(value)), d, field, ctx);
      else if (key === 'memory') guarded(() => (d.memory[slot] = parseMemoryMiB(value)), d, field, ctx);
      else ctx.report.notCarried(d.composeName, field);
    }
  }
  for (const key of Object.keys(r).filter((k) => k !== 'limits' && k !== 'reservations')) ctx.report.notCarried(d.composeName, `deploy.resources.${key}`);
}

function importUser(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const [user, group] = String(v).split(':');
  const id = (x: string | undefined) => (x === undefined || x === '' ? undefined : /^\d+$/.test(x) ? Number(x) : WELL_KNOWN_USERS[x]);
  const uid = id(user);
  const gid = id(group);
  if (uid === undefined || (group !== undefined && gid === undefined)) {
    const fallback = ctx.security === ImportSecurity.COMPOSE ? 'root (uid 0)' : `the model's non-root default ${DEFAULT_SECURITY.user}:${DEFAULT_SECURITY.group}`;
    ctx.report.warn(d.composeName, 'user', `${show(v)} is not numeric (uid[:gid]) and the model needs ids: runs as ${fallback}; set user: "<uid>:<gid>"`);
    d.security.userGiven = true;
    return;
  }
  d.security.user = uid;
  d.security.userGiven = true;
  if (gid !== undefined) d.security.group = gid;
}

function capability(name: string): string {
  return name.toUpperCase().replace(/^CAP_/, '');
}

/** The environment: `env_file` then `environment`; credentials become secret references. */
function finishEnvironment(d: ServiceDraft, ctx: ImportContext): void {
  const vars = new Map<string, { value: string | undefined; field: string }>();
  for (const [name, value] of d.envFileVars) vars.set(name, { value, field: 'env_file' });
  for (const [name, value] of d.environmentVars) vars.set(name, { value, field: 'environment' });
  const secretName = `${d.name}-env`;
  const secretKeys: Array<[string, string]> = [];
  for (const [name, { value, field }] of vars) {
    if (!isEnvName(name)) {
      ctx.report.warn(d.composeName, field, `variable ${show(name)} is not a valid variable name in the model ([A-Za-z_][A-Za-z0-9_]*): it is left out`);
    } else if (isSecretName(name)) {
      const key = toSecretKey(name.toLowerCase());
      d.env.set(name, EnvValue.fromSecret(secretName, key));
      secretKeys.push([name, key]);
    } else if ((value ?? ctx.environment[name]) === undefined) {
      ctx.report.warn(d.composeName, field, `variable ${name} has no value and is not set in the import environment: it is left out`);
    } else {
      d.env.set(name, EnvValue.fromValue(value ?? ctx.environment[name]));
    }
  }
  if (secretKeys.length === 0) return;
  const names = secretKeys.map(([n]) => n).join(', ');
  ctx.report.warn(d.composeName, 'environment', `${names} ${secretKeys.length > 1 ? 'look like credentials' : 'looks like a credential'}, so no plaintext value is kept: ${secretKeys.length > 1 ? 'they refer' : 'it refers'} to secret '${secretName}' (keys ${secretKeys.map(([, k]) => k).join(', ')}); create it with the values: kubectl create secret generic ${secretName} ${secretKeys.map(([, k]) => `--from-literal=${k}=...`).join(' ')} (compose reads ${secretKeys.map(([, k]) => secretVariable(secretName, k)).join(', ')} from the shell or .env)`);
}

/** The container image: a registry image, or a Dockerfile build when its Dockerfile is in the project. */
export function importImage(d: ServiceDraft, ctx: ImportContext): Image {
  if (!d.build) {
    if (d.imageRef === undefined) throw new Error(`service '${d.composeName}': 'image' or 'build' is required`);
    return registryImage(d.imageRef, d, 'image', ctx);
  }
  const dockerfile = buildDockerfile(d.build, ctx);
  const tag = d.imageRef !== undefined && isUnpinned(d.imageRef) ? `${d.imageRef.replace(/:latest$/, '')}:dev` : d.imageRef;
  if (typeof dockerfile === 'string') {
    if (tag !== d.imageRef) ctx.report.info(d.composeName, 'image', `the build is tagged ${show(tag)}: the model pins built images, ${show(d.imageRef)} is not`);
    const b = d.build;
    return Image.fromDockerfile(dockerfile, {
      ...(b.dockerfile !== undefined ? { dockerfile: b.dockerfile } : {}),
      ...(Object.keys(b.args).length > 0 ? { buildArgs: b.args } : {}),
      ...(b.target !== undefined ? { target: b.target } : {}),
      ...(tag !== undefined ? { tag } : {}),
    });
  }
  const reference = d.imageRef ?? DEFAULT_BUILD_TAG(ctx.appName, d.name);
  ctx.report.warn(d.composeName, 'build', `cannot be carried over: ${dockerfile.reason}; the service runs the prebuilt image ${show(reference)} instead: build and push it (docker build -t ${reference} ${d.build.context})`);
  return registryImage(reference, d, 'build', ctx);
}

function registryImage(reference: string, d: ServiceDraft, field: string, ctx: ImportContext): Image {
  if (!isUnpinned(reference)) return Image.fromRegistry(reference);
  ctx.report.warn(d.composeName, field, `${show(reference)} is not pinned to a version (no tag or :latest): imported with allowUnpinned; pin a tag for repeatable deployments`);
  return Image.fromRegistry(reference, { allowUnpinned: true });
}

/** Whether `reference` has no tag (or `latest`) and no digest. */
function isUnpinned(reference: string): boolean {
  if (reference.includes('@')) return false;
  const last = reference.split('/').pop()!;
  return !last.includes(':') || last.endsWith(':latest');
}

/** The absolute build context when its Dockerfile is in the project, else why not. */
function buildDockerfile(build: BuildDraft, ctx: ImportContext): string | { reason: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\/|^git@/i.test(build.context)) return { reason: `the context ${show(build.context)} is remote` };
  if (!ctx.files.available) return { reason: `no baseDir was given to find the context ${show(build.context)}` };
  const context = ctx.files.resolve(build.context);
  if (context === undefined) return { reason: `the context ${show(build.context)} is outside the project directory` };
  const dockerfile = path.resolve(context, build.dockerfile ?? 'Dockerfile');
  if (!fs.existsSync(dockerfile)) return { reason: `${show(path.relative(ctx.files.resolve('.')!, dockerfile))} does not exist below the project directory` };
  return context;
}

/** Container ports; published host ports are checked across services later. */
export function importPorts(d: ServiceDraft): PortProps[] {
  return d.ports.map((p) => {
    // A UDP port next to a TCP port of the same number needs its own name (the default is `port-<n>`).
    const twin = p.protocol === 'udp' && d.ports.some((q) => q.port === p.port && q.protocol === 'tcp');
    const name = p.name ?? (twin ? `port-${p.port}-udp` : undefined);
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
export function importResourceProps(d: ServiceDraft, ctx: ImportContext, inherited: ResourcesProps | undefined): ResourcesProps | undefined {
  const kinds = [
    ['cpu', d.cpu, inherited?.cpu?.limit?.millis ?? DEFAULT_RESOURCES.cpuLimitMillis, (n: number) => Cpu.millis(n)],
    ['memory', d.memory, inherited?.memory?.limit?.mebibytes ?? DEFAULT_RESOURCES.memoryLimitMiB, (n: number) => Memory.mebibytes(n)],
  ] as const;
  const out: Record<string, { request?: Cpu | Memory; limit?: Cpu | Memory }> = {};
  for (const [kind, r, inheritedLimit, make] of kinds) {
    let { request, limit } = r;
    if (request !== undefined && limit !== undefined && request > limit) {
      ctx.report.warn(d.composeName, 'deploy.resources', `${kind} reservation ${request} exceeds the limit ${limit}: the reservation is lowered to the limit`);
      request = limit;
    }
    if (request !== undefined && limit === undefined && request > inheritedLimit) {
      ctx.report.info(d.composeName, 'deploy.resources', `${kind} reservation ${request} exceeds the inherited limit ${inheritedLimit}: the limit is raised to the reservation`);
      limit = request;
    }
    if (request !== undefined || limit !== undefined) {
      out[kind] = { ...(request !== undefined ? { request: make(request) } : {}), ...(limit !== undefined ? { limit: make(limit) } : {}) };
    }
  }
  if (d.cpu.limit === undefined && d.memory.limit === undefined) {
    ctx.report.info(d.composeName, 'deploy.resources', 'sets no limits: the application\'s resource defaults apply (compose has none); pass props.resources to change them');
  }
  return Object.keys(out).length > 0 ? (out as ResourcesProps) : undefined;
}

/** Security settings: what the file states, else the mode's defaults (see ImportSecurity). */
export function importSecurityProps(d: ServiceDraft, ctx: ImportContext, mountPaths: string[]): SecurityProps | undefined {
  const s = d.security;
  const compose = ctx.security === ImportSecurity.COMPOSE;
  if (!s.userGiven) {
    ctx.report.info(d.composeName, 'user', compose
      ? 'is not set: runs as root (uid 0), as Docker does (security \'compose\'); set user: to harden it'
      : `is not set: runs as the model's non-root default ${DEFAULT_SECURITY.user}:${DEFAULT_SECURITY.group}, not as the image's user; set user: (or import with security 'compose') if the image needs its own`);
  }
  if (s.readOnly === undefined) {
    ctx.report.info(d.composeName, 'read_only', compose
      ? 'is not set: the root filesystem is writable, as in Docker (security \'compose\')'
      : `is not set: the root filesystem is read-only (writable: ${DEFAULT_SECURITY.writablePaths.join(', ')}, volumes); set read_only: false if the image writes elsewhere`);
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
  return Object.keys(props).length > 0 ? props : undefined;
}

/** The props of a draft, except dependencies (added as edges) and ports (checked across services). */
export function draftProps(d: ServiceDraft, ctx: ImportContext, ports: PortProps[], inheritedResources: ResourcesProps | undefined): MicroserviceProps {
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
    labels: optional(d.labels, Object.keys(d.labels).length > 0),
    security,
  });
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
