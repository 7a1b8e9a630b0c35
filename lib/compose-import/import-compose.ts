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
 *   environment, env_file  env; names that look like credentials -> EnvValue.fromSecret('<service>-env', <key>)
 *                          + a warning saying which secret to create, so no plaintext reaches any output
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
import { parseDocument } from 'yaml';
import { Application, Microservice } from '../model';
import { ImportContext, isMap, YamlMap } from './context';
import { ProjectFiles } from './files';
import { connectServices } from './graph';
import {
  COMPOSE_IMPORT_TOP_LEVEL, ComposeImport, ComposeImportDiagnostic, ComposeImportOptions, HostBindMounts, ImportSecurity,
} from './options';
import { ImportReport } from './report';
import { toDnsLabel, uniqueName } from './rules';
import { draftProps } from './props';
import { importService } from './service';
import { interpolate, InterpolationProblem, parseDotenv, ValueError } from './values';


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
  version: (v, r) => r.info(COMPOSE_IMPORT_TOP_LEVEL, 'version', `${JSON.stringify(v)} is obsolete in the Compose Specification and ignored`),
  volumes: (v, r) => {
    for (const [name, def] of Object.entries(isMap(v) ? v : {})) {
      for (const key of Object.keys(isMap(def) ? def : {})) {
        r.notCarried(COMPOSE_IMPORT_TOP_LEVEL, 'volumes', `'${key}' of volume '${name}' (the model creates its own persistent volume of the default size)`);
      }
    }
  },
  networks: (v, r) => {
    const names = Object.keys(isMap(v) ? v : {});
    if (names.length > 0) r.info(COMPOSE_IMPORT_TOP_LEVEL, 'networks', `networks ${names.join(', ')} are not carried over: the model gives each service a network that only its dependents join`);
  },
};

/**
 * Imports a compose file. The application is not validated yet: `resolve()` it, or render it, to check it.
 * Throws ComposeImportError when `yamlText` is not a compose file.
 */
export function importCompose(yamlText: string, options: ComposeImportOptions = {}): ComposeImport {
  const report = new ImportReport();
  const files = new ProjectFiles(options.baseDir);
  const environment = options.environment ?? dotenv(files);
  const doc = interpolateDocument(parseCompose(yamlText), environment, report);
  const services = doc.services as YamlMap;

  for (const [key, value] of Object.entries(doc)) {
    if (key.startsWith('x-')) continue; // extensions: anchors for the rest of the file
    const handler = Object.prototype.hasOwnProperty.call(TOP_LEVEL_KEYS, key) ? TOP_LEVEL_KEYS[key] : undefined;
    if (handler) handler(value, report);
    else report.notCarried(COMPOSE_IMPORT_TOP_LEVEL, key);
  }

  // Compose names a project after its directory unless the file says otherwise.
  const projectName = typeof doc.name === 'string' && doc.name ? doc.name : options.baseDir ? path.basename(path.resolve(options.baseDir)) : 'imported';
  const appName = toDnsLabel(options.name ?? projectName, 'app');
  const ctx: ImportContext = {
    report,
    files,
    appName,
    hostBindMounts: options.hostBindMounts ?? HostBindMounts.CONFIG,
    security: options.security ?? ImportSecurity.SECURE,
    environment,
    volumes: mapOf(doc.volumes),
    secrets: mapOf(doc.secrets),
    configs: mapOf(doc.configs),
    volumeNames: new Map(),
    volumeOwners: new Map(),
    announcedSecrets: new Set(),
  };

  const taken = new Set<string>();
  const drafts = Object.entries(services).map(([composeName, definition]) => {
    const name = uniqueName(toDnsLabel(composeName, 'service'), taken);
    if (name !== composeName) report.info(composeName, 'name', `is not a DNS-1123 label: the service is named '${name}'`);
    return importService(composeName, name, definition, ctx);
  });
  const graph = connectServices(drafts, ctx, options.ports ?? {});

  const application = new Application(appName, options.props ?? {});
  const constructs = new Map(drafts.map((d) => [d, new Microservice(application, d.name, draftProps(d, ctx, graph.ports.get(d)!, options.props?.resources))]));
  for (const e of graph.edges) constructs.get(e.from)!.addDependency(constructs.get(e.to)!, { condition: e.condition });
  return { application, diagnostics: inFileOrder(report.diagnostics, Object.keys(services)) };
}

/** Top-level diagnostics first, then each service's in the order of the file (stable within a service). */
function inFileOrder(diagnostics: ComposeImportDiagnostic[], services: string[]): ComposeImportDiagnostic[] {
  const rank = (d: ComposeImportDiagnostic) => (d.service === COMPOSE_IMPORT_TOP_LEVEL ? -1 : services.indexOf(d.service));
  return diagnostics.map((d, i) => ({ d, i })).sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i).map(({ d }) => d);
}

function parseCompose(yamlText: string): YamlMap {
  // Merge keys (`<<: *defaults`) are how compose files share settings.
  const document = parseDocument(yamlText, { merge: true, uniqueKeys: true });
  if (document.errors.length > 0) throw new ComposeImportError(`compose import: the file is not valid YAML: ${document.errors[0].message}`);
  const doc = document.toJS({ maxAliasCount: 10000 }) as unknown;
  if (!isMap(doc)) throw new ComposeImportError('compose import: the file must be a mapping with a \'services\' key');
  if (!isMap(doc.services) || Object.keys(doc.services).length === 0) {
    throw new ComposeImportError('compose import: \'services\' must be a mapping with at least one service');
  }
  return doc;
}

/** Compose interpolation of every value outside `x-*` extensions; unset variables are reported by key. */
function interpolateDocument(doc: YamlMap, env: Record<string, string>, report: ImportReport): YamlMap {
  const walk = (value: unknown, where: string[]): unknown => {
    if (typeof value === 'string') {
      const [service, field] = where[0] === 'services' ? [where[1], where[2]] : [COMPOSE_IMPORT_TOP_LEVEL, where[0]];
      const problems: InterpolationProblem[] = [];
      try {
        const out = interpolate(value, env, problems);
        for (const p of problems) report.warn(service, field, `variable ${p.variable} ${p.message}`);
        return out;
      } catch (e) {
        if (!(e instanceof ValueError)) throw e;
        report.error(service, field, `${e.message}: the value is kept as written`);
        return value;
      }
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, where));
    if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k.startsWith('x-') ? v : walk(v, [...where, k])]));
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
