/*
 * One compose service -> a draft of MicroserviceProps. Every service key is in SERVICE_KEYS; a key that is not
 * there is reported as "cannot be carried over" (never dropped silently). Cross-service work (dependencies, ports
 * of dependencies, published host ports) is left to compose-import-graph.ts, the final props to compose-import-props.ts.
 */
import { DEFAULT_SECURITY, DependencyCondition, EnvValue, isEnvName, isPortName, secretVariable } from '../model';
import { eachEntry, guarded, ImportContext, isMap, newDraft, ServiceDraft } from './context';
import { importConfigs, importSecrets, importTmpfs, importVolumes } from './mounts';
import { ImportSecurity } from './options';
import { isSecretName, labelProblem, toSecretKey, WELL_KNOWN_USERS } from './rules';
import { importDeploy, importHealthcheck, restartPolicy, setReplicas } from './runtime';
import {
  commandWords, keyValueEntries, parseCpuMillis, parseDotenv, parseDuration, parseExposeEntry, parseMemoryMiB, parsePortEntry,
  parseSignal, stringList, ValueError,
} from './values';

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
  stop_signal: (v, d, ctx) => guarded(() => (d.stopSignal = parseSignal(v)), d, 'stop_signal', ctx),
  stop_grace_period: (v, d, ctx) =>
    guarded(() => {
      const seconds = parseDuration(v);
      d.stopGracePeriodSeconds = Math.ceil(seconds);
      if (d.stopGracePeriodSeconds !== seconds) ctx.report.info(d.composeName, 'stop_grace_period', `${show(v)} is rounded up to whole seconds: ${d.stopGracePeriodSeconds}s`);
    }, d, 'stop_grace_period', ctx),
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
