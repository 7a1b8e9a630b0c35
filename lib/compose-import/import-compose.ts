/*
 * Compose import: a docker-compose file -> the typed model, so an existing compose stack renders to Kubernetes and
 * Pulumi. Everything the model cannot carry over is a diagnostic naming the service and the key; nothing is
 * dropped silently. The mapping, key by key:
 *
 *   image                  Image.fromRegistry; no tag or :latest -> allowUnpinned + warning
 *   build                  Image.fromDockerfile when the Dockerfile is below baseDir; else the prebuilt image
 *                          (`image:`, or <app>/<service>:dev) + warning
 *   ports, expose          ports (publish = host port); host address, random host port, ranges -> reported;
 *                          a host port is published once per application, never by a replicated service
 *   environment, env_file  env; names that look like credentials, and values that hold one (an interpolated
 *                          credential, a URL with a password, a credential's value) -> EnvValue.fromSecret(
 *                          '<service>-env', <key>) + a warning saying which secret to create, so no plaintext
 *                          reaches any output; any other key that would hold an interpolated credential -> error
 *   volumes, tmpfs         named -> persistent volume (one owner), anonymous/tmpfs -> scratch volume,
 *                          host binds -> see HostBindMounts (default: config files read below baseDir)
 *   secrets, configs       secret files at /run/secrets/<name> (content never read) / config files
 *   depends_on, links      dependencies with their condition; services reached through address variables
 *                          (DB_HOST=db) become dependencies too, since the model lets a service reach only those
 *   healthcheck            Probe.command as readiness probe (so the Docker health check), compose timing
 *   restart, deploy        restartPolicy, replicas, resources (limits/reservations)
 *   stop_signal            stopSignal (`INT` -> `SIGINT`); Kubernetes reports it, as it always sends SIGTERM
 *   stop_grace_period      stopGracePeriodSeconds (durations like 1m30s, rounded up to whole seconds)
 *   command, entrypoint    args, command
 *   user, read_only, cap_* security (see ImportSecurity for what applies where the file is silent)
 *   labels                 labels that are Kubernetes labels
 *   networks               noted: the model derives networks from dependencies
 *   anything else          "cannot be carried over" (container_name, network_mode, ... with the reason)
 */
import * as path from 'path';
import { isAlias, isMap as isYamlMap, isPair, isScalar, isSeq, LineCounter, Node as YamlNode, parseDocument } from 'yaml';
import { Application, MAX_REPLICAS, MAX_SERVICES as MODEL_MAX_SERVICES, Microservice } from '../model';
import { ImportContext, isMap, YamlMap } from './context';
import { ProjectFiles } from './files';
import { connectServices } from './graph';
import {
  COMPOSE_IMPORT_TOP_LEVEL,
  ComposeImport,
  ComposeImportDiagnostic,
  ComposeImportOptions,
  HostBindMounts,
  ImportSecurity,
} from './options';
import { ImportReport } from './report';
import { isSecretName, toDnsLabel, uniqueName } from './rules';
import { draftProps } from './props';
import { finishEnvironment, importService } from './service';
import { credentialsIn, hasUrlPassword, interpolate, InterpolationProblem, parseDotenv, redact, show, ValueError } from './values';

/**
 * What the import reads at most, checked before any work is done for it, so a hostile file fails at once with a
 * clear error instead of taking minutes and gigabytes. The service and replica bounds are the model's.
 */
export const COMPOSE_IMPORT_LIMITS = {
  /** Bytes (UTF-8) of the compose file: a compose file is configuration, not data. */
  maxBytes: 10 * 1024 * 1024,
  /** Services of one file (an application has at most 10,000). */
  maxServices: MODEL_MAX_SERVICES,
  /** `deploy.replicas`/`scale` of one service. */
  maxReplicas: MAX_REPLICAS,
  /** Values (scalars, lists, maps) of the file once aliases are expanded: `*a` repeated cannot multiply memory. */
  maxValues: 2_000_000,
  /** Nesting of lists and maps (a compose file needs fewer than 10). */
  maxDepth: 64,
} as const;
const MAX_COMPOSE_BYTES = COMPOSE_IMPORT_LIMITS.maxBytes;
const MAX_SERVICES = COMPOSE_IMPORT_LIMITS.maxServices;

/** Thrown when the text is not a compose file at all (not YAML, no `services`). */
export class ComposeImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ComposeImportError';
  }
}

/** Top-level keys and what becomes of them. */
const TOP_LEVEL_KEYS: Record<string, (value: unknown, report: ImportReport) => void> = {
  services: () => undefined,
  name: () => undefined,
  secrets: () => undefined, // read where services use them
  configs: () => undefined,
  version: (v, r) =>
    r.info(COMPOSE_IMPORT_TOP_LEVEL, 'version', `${JSON.stringify(v)} is obsolete in the Compose Specification and ignored`),
  volumes: (v, r) => {
    for (const [name, def] of Object.entries(isMap(v) ? v : {})) {
      for (const key of Object.keys(isMap(def) ? def : {})) {
        r.notCarried(
          COMPOSE_IMPORT_TOP_LEVEL,
          'volumes',
          `'${key}' of volume '${name}' (the model creates its own persistent volume of the default size)`,
        );
      }
    }
  },
  networks: (v, r) => {
    const names = Object.keys(isMap(v) ? v : {});
    if (names.length > 0)
      r.info(
        COMPOSE_IMPORT_TOP_LEVEL,
        'networks',
        `networks ${names.join(', ')} are not carried over: the model gives each service a network that only its dependents join`,
      );
  },
};

/**
 * Imports a compose file. The application is not validated yet: `resolve()` it, or render it, to check it.
 * Throws ComposeImportError when `yamlText` is not a compose file.
 */
export function importCompose(yamlText: string, options: ComposeImportOptions = {}): ComposeImport {
  try {
    return importComposeText(yamlText, options);
  } catch (e) {
    // No message shows an interpolated credential, whichever check threw it.
    if (e instanceof ComposeImportError) throw new ComposeImportError(redact(e.message));
    if (e instanceof Error)
      throw new ComposeImportError(redact(e.message.startsWith('compose import') ? e.message : `compose import: ${e.message}`));
    throw e;
  }
}

function importComposeText(yamlText: string, options: ComposeImportOptions): ComposeImport {
  if (typeof yamlText !== 'string')
    throw new ComposeImportError(`compose import: the compose file must be text, got ${show(typeof yamlText)}`);
  const bytes = Buffer.byteLength(yamlText, 'utf8');
  if (bytes > MAX_COMPOSE_BYTES) {
    throw new ComposeImportError(
      `compose import: the file is ${bytes} bytes, more than the ${MAX_COMPOSE_BYTES / 1024 / 1024} MiB the import reads`,
    );
  }
  const report = new ImportReport();
  const files = new ProjectFiles(options.baseDir);
  const environment = options.environment ?? dotenv(files);
  const notSecret = notSecretNames(options.notSecret);
  const doc = interpolateDocument(parseCompose(yamlText), environment, notSecret, report);
  const services = doc.services as YamlMap;
  const serviceCount = Object.keys(services).length;
  if (serviceCount > MAX_SERVICES)
    throw new ComposeImportError(
      `compose import: 'services' defines ${serviceCount} services, more than the ${MAX_SERVICES} an application may have`,
    );

  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('x-')) continue; // extensions: anchors for the rest of the file
    const handler = Object.prototype.hasOwnProperty.call(TOP_LEVEL_KEYS, key) ? TOP_LEVEL_KEYS[key] : undefined;
    if (handler) handler(value, report);
    else report.notCarried(COMPOSE_IMPORT_TOP_LEVEL, key);
  }

  // Compose names a project after its directory unless the file says otherwise.
  const projectName =
    typeof doc.name === 'string' && doc.name && credentialsIn(doc.name).length === 0
      ? doc.name
      : options.baseDir
        ? path.basename(path.resolve(options.baseDir))
        : 'imported';
  const appName = toDnsLabel(options.name ?? projectName, 'app');
  const ctx: ImportContext = {
    report,
    files,
    appName,
    hostBindMounts: options.hostBindMounts ?? HostBindMounts.CONFIG,
    security: options.security ?? ImportSecurity.SECURE,
    environment,
    notSecret,
    volumes: mapOf(doc.volumes),
    secrets: mapOf(doc.secrets),
    configs: mapOf(doc.configs),
    volumeNames: new Map(),
    volumeOwners: new Map(),
    announcedSecrets: new Set(),
    secretKeys: new Map(),
    secretVariables: new Map(),
    secretValues: [],
  };

  // Construct ids that a plain object already has (`constructor`) cannot name a construct: the constructs library
  // would report a clash with a service that does not exist.
  const unusable = Object.getOwnPropertyNames(Object.prototype);
  const taken = new Set<string>(unusable);
  const drafts = Object.entries(services).map(([composeName, definition]) => {
    const label = toDnsLabel(composeName, 'service');
    const name = uniqueName(label, taken);
    if (name !== composeName) {
      report.info(
        composeName,
        'name',
        unusable.includes(label)
          ? `${show(label)} cannot name a construct (every JavaScript object has it): the service is named '${name}'`
          : `is not a DNS-1123 label: the service is named '${name}'`,
      );
    }
    return importService(composeName, name, definition, ctx);
  });
  // Every credential the file or .env holds is known before any environment is finished, so a password moved
  // into a secret in one service is recognised inside another service's URL variable.
  collectSecretValues(drafts, ctx);
  for (const d of drafts) finishEnvironment(d, ctx);
  const graph = connectServices(drafts, ctx, options.ports ?? {});

  const application = new Application(appName, options.props ?? {});
  const constructs = new Map(
    drafts.map((d) => {
      const props = draftProps(d, ctx, graph.ports.get(d)!, options.props?.resources);
      // The last line of defence: every key that can hold an interpolated credential handles it above.
      const leaked = credentialsIn(props);
      if (leaked.length > 0)
        throw new ComposeImportError(
          `service '${d.composeName}': the credential ${leaked.map((n) => `\${${n}}`).join(', ')} would reach an output: the import ` +
            `is refused`,
        );
      return [d, new Microservice(application, d.name, props)];
    }),
  );
  for (const e of graph.edges) constructs.get(e.from)!.addDependency(constructs.get(e.to)!, { condition: e.condition });
  return { application, diagnostics: inFileOrder(report.diagnostics, Object.keys(services)) };
}

/** Top-level diagnostics first, then each service's in the order of the file (stable within a service). */
function inFileOrder(diagnostics: ComposeImportDiagnostic[], services: string[]): ComposeImportDiagnostic[] {
  const order = new Map(services.map((s, i) => [s, i]));
  const rank = (d: ComposeImportDiagnostic) => (d.service === COMPOSE_IMPORT_TOP_LEVEL ? -1 : (order.get(d.service) ?? -1));
  return diagnostics
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i)
    .map(({ d }) => d);
}

function parseCompose(yamlText: string): YamlMap {
  // Merge keys (`<<: *defaults`) are how compose files share settings. Duplicate keys are checked below, in linear
  // time (the parser's own check compares every key with every other).
  const lineCounter = new LineCounter();
  const document = parseDocument(yamlText, { merge: true, uniqueKeys: false, lineCounter });
  if (document.errors.length > 0) throw new ComposeImportError(`compose import: the file is not valid YAML: ${document.errors[0].message}`);
  const shape = shapeProblem(document);
  if (shape) throw new ComposeImportError(`compose import: ${shape}`);
  const duplicate = duplicateKey(document.contents);
  if (duplicate) {
    const { line, col } = lineCounter.linePos(duplicate.offset);
    throw new ComposeImportError(
      `compose import: the file is not valid YAML: map keys must be unique, ${show(duplicate.key)} is repeated at line ${line}, ` +
        `column ${col}`,
    );
  }
  let doc: unknown;
  try {
    doc = document.toJS({ maxAliasCount: 10000 }) as unknown;
  } catch (e) {
    throw new ComposeImportError(`compose import: the file cannot be read: ${(e as Error).message}`);
  }
  if (!isMap(doc)) throw new ComposeImportError("compose import: the file must be a mapping with a 'services' key");
  if (!isMap(doc.services) || Object.keys(doc.services).length === 0) {
    throw new ComposeImportError("compose import: 'services' must be a mapping with at least one service");
  }
  return doc;
}

/**
 * Why the document is too deep or expands to too many values (an alias counts as the values it stands for), in one
 * pass over the nodes with the size of each anchored node computed once.
 */
function shapeProblem(document: ReturnType<typeof parseDocument>): string | undefined {
  const sizes = new Map<unknown, number>();
  const { maxDepth, maxValues } = COMPOSE_IMPORT_LIMITS;
  type Frame = { node: unknown; depth: number; children?: unknown[]; i: number; total: number };
  const childrenOf = (node: unknown): unknown[] => {
    if (isYamlMap(node)) return node.items.flatMap((p) => [p.key, p.value]);
    if (isSeq(node)) return node.items;
    return [];
  };
  const stack: Frame[] = [{ node: document.contents, depth: 0, i: 0, total: 1 }];
  let result = 0;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.depth > maxDepth) return `the file nests lists and maps deeper than ${maxDepth} levels`;
    frame.children ??= childrenOf(frame.node);
    if (frame.i < frame.children.length) {
      let child = frame.children[frame.i++];
      if (isAlias(child)) child = child.resolve(document);
      if (child === null || child === undefined || typeof child !== 'object') {
        frame.total += 1;
      } else if (sizes.has(child)) {
        frame.total += sizes.get(child)!;
      } else if (stack.some((f) => f.node === child)) {
        return 'the file has an alias inside the node it refers to';
      } else {
        stack.push({ node: child, depth: frame.depth + 1, i: 0, total: 1 });
      }
      if (frame.total > maxValues) return `the file expands to more than ${maxValues} values once its aliases are expanded`;
      continue;
    }
    stack.pop();
    sizes.set(frame.node, frame.total);
    if (stack.length > 0) {
      const parent = stack[stack.length - 1];
      parent.total += frame.total;
      if (parent.total > maxValues) return `the file expands to more than ${maxValues} values once its aliases are expanded`;
    } else result = frame.total;
  }
  return result > maxValues ? `the file expands to more than ${maxValues} values once its aliases are expanded` : undefined;
}

/** The first key repeated in one mapping (as JavaScript reads keys: `1` and `"1"` are one key), in one pass. */
function duplicateKey(root: unknown): { key: string; offset: number } | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isAlias(node) || node === null || node === undefined) continue;
    if (isYamlMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (isScalar(pair.key) && pair.key.value !== '<<' && !(isScalar(pair.key) && pair.key.source === '<<')) {
          const key = String(pair.key.value);
          if (seen.has(key)) return { key, offset: pair.key.range?.[0] ?? 0 };
          seen.add(key);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    } else if (isPair(node)) {
      stack.push((node as { value: YamlNode }).value);
    }
  }
  return undefined;
}

/** A variable whose interpolated value must never reach an output: a credential by name, or a URL with a password. */
function credentialVariable(env: Record<string, string>, notSecret: ReadonlySet<string>): (name: string) => boolean {
  return (name) => isSecretName(name, notSecret) || hasUrlPassword(Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined);
}

/** The `notSecret` option as a set; anything but a list of strings is refused. */
function notSecretNames(names: unknown): ReadonlySet<string> {
  if (names === undefined) return new Set();
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))
    throw new ComposeImportError(`compose import: 'notSecret' must be a list of variable names, got ${show(names)}`);
  return new Set(names);
}

/** Values of every credential the import sees: `.env`, env files and `environment` of every service. */
function collectSecretValues(drafts: ReturnType<typeof importService>[], ctx: ImportContext): void {
  const values = new Set<string>();
  for (const [name, value] of Object.entries(ctx.environment)) if (isSecretName(name, ctx.notSecret)) values.add(value);
  for (const d of drafts) {
    for (const [name, value] of [...d.envFileVars, ...d.environmentVars]) {
      if (value !== undefined && isSecretName(name, ctx.notSecret)) values.add(value);
    }
  }
  // Short or common values ("true", "1234") and service names (`POSTGRES_PASSWORD=postgres` next to a service
  // `postgres`) would turn unrelated values into secrets; URLs with passwords are found by their form, whatever the
  // password.
  const services = new Set(drafts.flatMap((d) => [d.composeName.toLowerCase(), d.name]));
  ctx.secretValues.push(
    ...[...values].filter(
      (v) =>
        v.length >= 5 &&
        !/^\d+$/.test(v) &&
        !/^(true|false|yes|no|on|off|null)$/i.test(v) &&
        !services.has(v.toLowerCase()) &&
        credentialsIn(v).length === 0,
    ),
  );
}

/** Compose interpolation of every value outside `x-*` extensions; unset variables are reported by key. */
function interpolateDocument(doc: YamlMap, env: Record<string, string>, notSecret: ReadonlySet<string>, report: ImportReport): YamlMap {
  const isCredential = credentialVariable(env, notSecret);
  const walk = (value: unknown, where: string[]): unknown => {
    if (typeof value === 'string') {
      const [service, field] = where[0] === 'services' ? [where[1], where[2]] : [COMPOSE_IMPORT_TOP_LEVEL, where[0]];
      const problems: InterpolationProblem[] = [];
      try {
        const out = interpolate(value, env, problems, isCredential);
        for (const p of problems) report.warn(service, field, `variable ${p.variable} ${p.message}`);
        return out;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        report.error(service, field, `${e.message}: the value is kept as written`);
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, where));
    if (isMap(value)) {
      // defineProperty, so that a key named `__proto__` stays a key.
      const out: YamlMap = {};
      for (const [k, v] of Object.entries(value))
        Object.defineProperty(out, k, {
          value: k.startsWith('x-') ? v : walk(v, [...where, k]),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return out;
    }
    return value;
  };
  return walk(doc, []) as YamlMap;
}

/** The `.env` file of the project, as compose reads it for interpolation. */
function dotenv(files: ProjectFiles): Record<string, string> {
  if (!files.available) return {};
  const read = files.readText('.env');
  return 'content' in read ? parseDotenv(read.content) : {};
}

function mapOf(v: unknown): YamlMap {
  return isMap(v) ? v : {};
}
