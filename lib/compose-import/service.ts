/*
 * One compose service -> a draft of MicroserviceProps. Every service key is in SERVICE_KEYS; a key that is not
 * there is reported as "cannot be carried over" (never dropped silently). Cross-service work (dependencies, ports
 * of dependencies, published host ports) is left to compose-import-graph.ts, the final props to compose-import-props.ts.
 */
import { DEFAULT_SECURITY, DependencyCondition, EnvValue, isEnvName, isPortName, secretVariable } from '../model';
import { allocateSecretKey, eachEntry, guarded, ImportContext, isMap, newDraft, own, ServiceDraft } from './context';
import { importConfigs, importSecrets, importTmpfs, importVolumes } from './mounts';
import { ImportSecurity } from './options';
import { isSecretName, labelProblem, toSecretKey, WELL_KNOWN_USERS } from './rules';
import { importDeploy, importHealthcheck, restartPolicy, setReplicas } from './runtime';
import {
  commandWords,
  credentialsIn,
  hasUrlPassword,
  keyValueEntries,
  parseBoolean,
  parseCpuMillis,
  parseDotenv,
  parseDuration,
  parseExposeEntry,
  parseMemoryMiB,
  parsePortEntry,
  parseSignal,
  redact,
  scalarText,
  show,
  showCredentials,
  stringList,
  ValueError,
} from './values';

/** Keys whose value holds commands: a credential there would be plaintext in every output. */
const COMMAND_KEYS = ['command', 'entrypoint', 'healthcheck'];
/** Keys that read interpolated credentials themselves (as secret references, or reporting each one). */
const CREDENTIAL_AWARE_KEYS = ['environment', 'build'];
/** List and map keys that may be left empty (`deploy:` with nothing below it): nothing to import. */
const EMPTY_ALLOWED = [
  'deploy',
  'healthcheck',
  'networks',
  'depends_on',
  'labels',
  'environment',
  'env_file',
  'volumes',
  'ports',
  'expose',
  'secrets',
  'configs',
  'tmpfs',
  'links',
  'cap_add',
  'cap_drop',
];

type KeyImporter = (value: unknown, d: ServiceDraft, ctx: ImportContext) => void;

/** The service keys the importer understands; each reports what it cannot carry over itself. */
const SERVICE_KEYS: Record<string, KeyImporter> = {
  image: (v, d) => {
    if (typeof v !== 'string' || v.trim() === '') throw new ValueError(`must be an image reference (a non-empty string), got ${show(v)}`);
    d.imageRef = v;
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
    if (!Array.isArray(v) && !isMap(v)) throw new ValueError(`must be a list or a map of network names, got ${show(v)}`);
    const names = Array.isArray(v) ? v.map((n) => scalarText(n)) : Object.keys(v);
    d.composeNetworks = names;
    ctx.report.info(
      d.composeName,
      'networks',
      `networks ${names.join(', ')} are not carried over: the model derives networks from dependencies, so the service reaches only ` +
        `the services it depends on`,
    );
  },
  network_mode: (v, d, ctx) => {
    d.composeNetworks = undefined;
    ctx.report.notCarried(
      d.composeName,
      'network_mode',
      `${show(v)}: the model gives every service its own network namespace (use sidecars to share one)`,
    );
  },
  depends_on: importDependsOn,
  links: (v, d, ctx) =>
    eachEntry(v, d, 'links', ctx, (e) => {
      const [service, alias] = scalarText(e).split(':');
      if (alias && alias !== service)
        ctx.report.warn(
          d.composeName,
          'links',
          `alias ${show(alias)} of ${show(service)} cannot be carried over: reach it as ${show(service)}`,
        );
      d.dependencies.push({ service, condition: DependencyCondition.STARTED, field: 'links' });
    }),
  healthcheck: importHealthcheck,
  restart: (v, d, ctx) => {
    if (typeof v !== 'string') throw new ValueError(`must be no, always, on-failure[:n] or unless-stopped, got ${show(v)}`);
    d.restartPolicy = restartPolicy(v, d, 'restart', ctx) ?? d.restartPolicy;
  },
  deploy: importDeploy,
  scale: (v, d, ctx) => setReplicas(v, d, 'scale', ctx),
  mem_limit: (v, d, ctx) => guarded(() => (d.memory.limit = parseMemoryMiB(v)), d, 'mem_limit', ctx),
  mem_reservation: (v, d, ctx) => guarded(() => (d.memory.request = parseMemoryMiB(v)), d, 'mem_reservation', ctx),
  cpus: (v, d, ctx) => guarded(() => (d.cpu.limit = parseCpuMillis(v)), d, 'cpus', ctx),
  command: (v, d) => {
    d.args = commandWords(v);
  },
  entrypoint: (v, d, ctx) => {
    const words = commandWords(v);
    if (words.length === 0)
      ctx.report.warn(
        d.composeName,
        'entrypoint',
        "is empty (it clears the image's entrypoint), which the model cannot express: the image's entrypoint stays; it is left out",
      );
    else d.command = words;
  },
  user: importUser,
  read_only: (v, d) => {
    d.security.readOnly = parseBoolean(v);
  },
  cap_add: (v, d) => {
    d.security.capAdd.push(...stringList(v).map(capability));
  },
  cap_drop: (v, d, ctx) => {
    d.security.capDrop.push(...stringList(v).map(capability));
    if (!d.security.capDrop.includes('ALL'))
      ctx.report.info(
        d.composeName,
        'cap_drop',
        "the model drops ALL capabilities and adds back only cap_add (and, with security 'compose', Docker's defaults minus cap_drop)",
      );
  },
  labels: (v, d, ctx) => {
    for (const [key, value = ''] of keyValueEntries(v)) {
      const problem = labelProblem(key, value);
      if (problem) ctx.report.warn(d.composeName, 'labels', `label ${show(key)} ${problem}: it is left out`);
      else d.labels[key] = value;
    }
  },
  container_name: (v, d, ctx) =>
    ctx.report.notCarried(
      d.composeName,
      'container_name',
      `${show(v)}: names come from the service ('${ctx.appName}-${d.name}-1' in Docker, '${d.name}' in Kubernetes); other services ` +
        `reach it as '${d.name}'`,
    ),
  stop_signal: (v, d, ctx) => guarded(() => (d.stopSignal = parseSignal(v)), d, 'stop_signal', ctx),
  stop_grace_period: (v, d, ctx) =>
    guarded(
      () => {
        const seconds = parseDuration(v);
        d.stopGracePeriodSeconds = Math.ceil(seconds);
        if (d.stopGracePeriodSeconds !== seconds)
          ctx.report.info(d.composeName, 'stop_grace_period', `${show(v)} is rounded up to whole seconds: ${d.stopGracePeriodSeconds}s`);
      },
      d,
      'stop_grace_period',
      ctx,
    ),
};

/** Reads compose service `composeName` (model name `name`) into a draft. */
export function importService(composeName: string, name: string, definition: unknown, ctx: ImportContext): ServiceDraft {
  const d = newDraft(composeName, name);
  if (!isMap(definition)) throw new Error(`service '${composeName}': its definition must be a mapping, got ${show(definition)}`);
  for (const [key, value] of Object.entries(definition)) {
    if (key.startsWith('x-')) continue;
    const importer = own(SERVICE_KEYS, key);
    if (value === null && EMPTY_ALLOWED.includes(key)) continue;
    if (!importer) {
      ctx.report.notCarried(
        composeName,
        key,
        key === 'extends' ? `${show(value)}: copy the keys of the extended service into '${composeName}'` : undefined,
      );
      continue;
    }
    const credentials = CREDENTIAL_AWARE_KEYS.includes(key) ? [] : credentialsIn(value);
    if (credentials.length > 0) {
      const hint = COMMAND_KEYS.includes(key)
        ? `; to use it, pass it in environment (it becomes a secret reference) and let the container's shell expand it ` +
          `($$${credentials[0]} in a shell form)`
        : '';
      ctx.report.error(
        composeName,
        key,
        `would hold the credential ${showCredentials(credentials)} in plaintext in every output: it is left out${hint}`,
      );
      continue;
    }
    try {
      importer(value, d, ctx);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      ctx.report.error(composeName, key, `${e.message}: it is left out`);
    }
  }
  if (d.imageRef === undefined && d.build === undefined && own(definition, 'extends') !== undefined) {
    throw new Error(
      `service '${composeName}': 'image' or 'build' is required ('extends' ${show(definition.extends)} is not carried over: copy ` +
        `the image of the extended service)`,
    );
  }
  return d;
}

function importBuild(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const { args: _args, ...rest } = isMap(v) ? v : { context: v };
  const credentials = credentialsIn(rest);
  if (credentials.length > 0)
    throw new ValueError(`would hold the credential ${showCredentials(credentials)} in plaintext in every output`);
  if (typeof v === 'string') {
    d.build = { context: v, args: {} };
    return;
  }
  if (!isMap(v)) throw new ValueError(`must be a path or a mapping, got ${show(v)}`);
  for (const key of ['context', 'dockerfile', 'target']) {
    if (v[key] !== undefined && typeof v[key] !== 'string') throw new ValueError(`${key} must be a string, got ${show(v[key])}`);
  }
  const args: Record<string, string> = {};
  let entries: Array<[string, string | undefined]> = [];
  try {
    entries = keyValueEntries(v.args);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    ctx.report.error(d.composeName, 'build.args', `${e.message}: the build args are left out`);
  }
  for (const [name, value] of entries) {
    // Build args are visible in the image's history and in every output: never a credential.
    const fromEnvironment = value === undefined ? own(ctx.environment, name) : undefined;
    const resolved = value ?? fromEnvironment;
    const credential =
      credentialsIn(name + (value ?? '')).length > 0 ||
      (fromEnvironment !== undefined && (isSecretName(name, ctx.notSecret) || hasUrlPassword(fromEnvironment)));
    if (credential)
      ctx.report.error(
        d.composeName,
        'build.args',
        `${redact(name)} would pass a credential ` +
          `(${value === undefined ? `\${${name}} from the import environment` : showCredentials(credentialsIn(value))}) in ` +
          `plaintext to the build: it is left out; use a build secret`,
      );
    else if (resolved === undefined)
      ctx.report.warn(d.composeName, 'build.args', `${name} has no value and is not set in the import environment: it is left out`);
    else args[name] = resolved;
  }
  for (const key of Object.keys(v).filter((k) => !['context', 'dockerfile', 'args', 'target'].includes(k))) {
    ctx.report.notCarried(d.composeName, `build.${key}`);
  }
  d.build = {
    context: v.context === undefined ? '.' : (v.context as string),
    dockerfile: v.dockerfile as string | undefined,
    args,
    target: v.target as string | undefined,
  };
}

function addPort(spec: ReturnType<typeof parsePortEntry>, field: 'ports' | 'expose', d: ServiceDraft, ctx: ImportContext): void {
  const where = `${field} entry ${spec.publish ?? ''}${spec.publish ? ':' : ''}${spec.port}/${spec.protocol}`;
  if (spec.protocol !== 'tcp' && spec.protocol !== 'udp')
    throw new ValueError(`uses protocol ${show(spec.protocol)}; the model knows tcp and udp`);
  const { publish } = spec;
  let { name } = spec;
  if (spec.hostIp && !['0.0.0.0', '::'].includes(spec.hostIp)) {
    ctx.report.warn(
      d.composeName,
      field,
      `${where}: host address ${spec.hostIp} cannot be carried over: published ports listen on every interface`,
    );
  }
  if (spec.randomHost && field === 'ports') {
    ctx.report.warn(
      d.composeName,
      field,
      `${where}: publishing on a host port Docker picks cannot be carried over: the port is declared, not published`,
    );
  }
  if (spec.mode !== undefined && spec.mode !== 'ingress') {
    ctx.report.warn(
      d.composeName,
      field,
      `${where}: publishing mode ${show(spec.mode)} cannot be carried over: the port is published the default way`,
    );
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
    ctx.report.warn(
      d.composeName,
      field,
      `${where}: container port ${spec.port}/${spec.protocol} is already published on host port ${same.publish}; the model ` +
        `publishes a port once, so host port ${publish} is left out`,
    );
  } else if (publish !== undefined) {
    d.ports[d.ports.indexOf(same)] = { ...same, publish };
  }
}

function importEnvFile(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const entries = Array.isArray(v) ? v : [v];
  for (const entry of entries) {
    const file = isMap(entry) ? entry.path : entry;
    if (typeof file !== 'string') throw new ValueError(`entries must be paths or { path, required }, got ${show(entry)}`);
    const required = !(isMap(entry) && entry.required !== undefined && !parseBoolean(entry.required));
    const read = ctx.files.readText(file);
    if ('content' in read) d.envFileVars.push(...Object.entries(parseDotenv(read.content)));
    else if (required)
      ctx.report.warn(
        d.composeName,
        'env_file',
        `${show(file)} cannot be read (${read.reason}): its variables are left out; pass baseDir or list them under environment`,
      );
  }
}

function importDependsOn(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  if (Array.isArray(v)) {
    for (const service of v) {
      if (typeof service !== 'string') throw new ValueError(`must list service names, got ${show(service)}`);
    }
    for (const service of v) d.dependencies.push({ service, condition: DependencyCondition.STARTED, field: 'depends_on' });
    return;
  }
  if (!isMap(v)) throw new ValueError(`must be a list of service names or a map of service: { condition }, got ${show(v)}`);
  for (const [service, options] of Object.entries(v)) {
    if (options !== null && !isMap(options))
      throw new ValueError(`${service}: must be a map like { condition: service_healthy }, got ${show(options)}`);
    const o = isMap(options) ? options : {};
    if (o.condition !== undefined && typeof o.condition !== 'string')
      throw new ValueError(
        `${service}: condition must be service_started, service_healthy or service_completed_successfully, got ${show(o.condition)}`,
      );
    const condition = (o.condition as string | undefined) ?? 'service_started';
    if (condition === 'service_completed_successfully') {
      ctx.report.warn(
        d.composeName,
        'depends_on',
        `${service}: condition service_completed_successfully cannot be carried over: waits until '${service}' has started`,
      );
    } else if (condition !== 'service_started' && condition !== 'service_healthy') {
      ctx.report.error(
        d.composeName,
        'depends_on',
        `${service}: unknown condition ${show(condition)}: waits until '${service}' has started`,
      );
    }
    for (const key of Object.keys(o).filter((k) => k !== 'condition')) {
      ctx.report.notCarried(d.composeName, 'depends_on', `'${key}' of ${service}`);
    }
    d.dependencies.push({
      service,
      condition: condition === 'service_healthy' ? DependencyCondition.HEALTHY : DependencyCondition.STARTED,
      field: 'depends_on',
    });
  }
}

function importUser(v: unknown, d: ServiceDraft, ctx: ImportContext): void {
  const [user, group] = scalarText(v).split(':');
  const id = (x: string | undefined) => (x === undefined || x === '' ? undefined : /^\d+$/.test(x) ? Number(x) : WELL_KNOWN_USERS[x]);
  const uid = id(user);
  const gid = id(group);
  if (uid === undefined || (group !== undefined && gid === undefined)) {
    const fallback =
      ctx.security === ImportSecurity.COMPOSE
        ? 'root (uid 0)'
        : `the model's non-root default ${DEFAULT_SECURITY.user}:${DEFAULT_SECURITY.group}`;
    ctx.report.warn(
      d.composeName,
      'user',
      `${show(v)} is not numeric (uid[:gid]) and the model needs ids: runs as ${fallback}; set user: "<uid>:<gid>"`,
    );
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

/**
 * Why a value must not be plaintext: it holds an interpolated credential, a URL with a password, or the value of a
 * credential found elsewhere in the project (a password moved into a secret stays out of every URL too).
 */
function secretReason(value: string, ctx: ImportContext): string | undefined {
  const credentials = credentialsIn(value);
  if (credentials.length > 0) return `holds the credential ${showCredentials(credentials)}`;
  if (hasUrlPassword(value)) return 'holds a URL with a password';
  if (ctx.secretValues.some((secret) => value.includes(secret))) return 'holds the value of a credential';
  return undefined;
}

/** The environment: `env_file` then `environment`; credentials, and values that hold one, become secret references. */
export function finishEnvironment(d: ServiceDraft, ctx: ImportContext): void {
  const vars = new Map<string, { value: string | undefined; field: string }>();
  for (const [name, value] of d.envFileVars) vars.set(name, { value, field: 'env_file' });
  for (const [name, value] of d.environmentVars) vars.set(name, { value, field: 'environment' });
  const secretName = `${d.name}-env`;
  const secretKeys: Array<{ name: string; key: string; why: string }> = [];
  const toSecret = (name: string, why: string) => {
    const key = allocateSecretKey(ctx, secretName, toSecretKey(name.toLowerCase()), `environment of ${d.composeName}: ${name}`);
    d.env.set(name, EnvValue.fromSecret(secretName, key));
    secretKeys.push({ name, key, why });
  };
  for (const [name, { value, field }] of vars) {
    const resolved = value ?? own(ctx.environment, name);
    if (!isEnvName(name)) {
      ctx.report.warn(
        d.composeName,
        field,
        `variable ${show(name)} is not a valid variable name in the model ([-._a-zA-Z][-._a-zA-Z0-9]*): it is left out`,
      );
    } else if (isSecretName(name, ctx.notSecret)) {
      toSecret(name, 'looks like a credential');
    } else if (resolved === undefined) {
      ctx.report.warn(d.composeName, field, `variable ${name} has no value and is not set in the import environment: it is left out`);
    } else {
      const why = secretReason(resolved, ctx);
      if (why === undefined) {
        // Listed in `notSecret`: the model would refuse a credential-like name in plain text unless told so.
        d.env.set(name, ctx.notSecret.has(name) ? EnvValue.fromValue(resolved, { notSecret: true }) : EnvValue.fromValue(resolved));
        continue;
      }
      toSecret(name, why);
      // Kept (without any password) only to find the services it addresses.
      d.secretEnvValues.set(name, redact(resolved).replace(/(:\/\/)[^/@\s]*@/g, '$1'));
    }
  }
  if (secretKeys.length === 0) return;
  const reasons = [...new Set(secretKeys.map((s) => s.why))].map((why) => {
    const names = secretKeys.filter((s) => s.why === why).map((s) => s.name);
    const verb =
      names.length > 1 && why === 'looks like a credential'
        ? 'look like credentials'
        : names.length > 1
          ? why.replace(/^holds/, 'hold')
          : why;
    return `${names.join(', ')} ${verb}`;
  });
  const keys = secretKeys.map((s) => s.key);
  ctx.report.warn(
    d.composeName,
    'environment',
    `${reasons.join('; ')}, so no plaintext value is kept: ${secretKeys.length > 1 ? 'they refer' : 'it refers'} to secret ` +
      `'${secretName}' (keys ${keys.join(', ')}); create it with the values: kubectl create secret generic ${secretName} ` +
      `${keys.map((k) => `--from-literal=${k}=...`).join(' ')} (compose reads ` +
      `${keys.map((k) => secretVariable(secretName, k)).join(', ')} from the shell or .env)`,
  );
}
