/* What the per-service importers share: options, report, project files, and the draft a service is built into. */
import {
  ConfigFileProps,
  DependencyCondition,
  EnvValue,
  Probe,
  RestartPolicy,
  SecretFileProps,
  secretConfigKey,
  secretVariable,
  VolumeProps,
} from '../model';
import { ProjectFiles } from './files';
import { HostBindMounts, ImportSecurity } from './options';
import { ImportReport } from './report';
import { PortSpec, show, ValueError } from './values';

/** A plain mapping read from YAML. */
export type YamlMap = Record<string, unknown>;

/** `map[key]` when `key` is the map's own key (never an inherited `constructor` or `__proto__`). */
export function own<T>(map: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
}

/** Whether `v` is a YAML mapping. */
export function isMap(v: unknown): v is YamlMap {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** State shared by the importers of one compose file. */
export interface ImportContext {
  readonly report: ImportReport;
  readonly files: ProjectFiles;
  readonly appName: string;
  readonly hostBindMounts: HostBindMounts;
  readonly security: ImportSecurity;
  /** Interpolation and pass-through variables. */
  readonly environment: Record<string, string>;
  /** Variables the user says are not credentials although their names look like it (the `notSecret` option). */
  readonly notSecret: ReadonlySet<string>;
  /** Top-level definitions, by compose key. */
  readonly volumes: YamlMap;
  readonly secrets: YamlMap;
  readonly configs: YamlMap;
  /** Model name of each persistent volume, by compose volume key. */
  readonly volumeNames: Map<string, string>;
  /** Service (model name) that owns each persistent volume, by model volume name. */
  readonly volumeOwners: Map<string, string>;
  /** Secrets whose "create it" instruction was already reported. */
  readonly announcedSecrets: Set<string>;
  /** What each secret key (`<secret>/<key>`) holds, so two different values never share one key. */
  readonly secretKeys: Map<string, string>;
  /** The `<secret>/<key>` behind each compose variable and Pulumi config key the targets read secrets from. */
  readonly secretVariables: Map<string, string>;
  /** Values of credentials anywhere in the project: a value that contains one is a secret too. */
  readonly secretValues: string[];
}

/**
 * A key of secret `secretName` for `origin` (what it holds, e.g. `env web DB_PASSWORD`): `wanted` unless another
 * origin has it, or its compose variable or Pulumi config key is another key's (`a-b`/`c` and `a`/`b-c` both read
 * `A_B_C`); then `wanted-2`, ... The same origin always gets the same key.
 */
export function allocateSecretKey(ctx: ImportContext, secretName: string, wanted: string, origin: string): string {
  for (let n = 1; ; n++) {
    const key = n === 1 ? wanted : `${wanted}-${n}`;
    const id = `${secretName}/${key}`;
    const holder = ctx.secretKeys.get(id);
    if (holder === origin) return key;
    if (holder !== undefined) continue;
    const names = [`variable ${secretVariable(secretName, key)}`, `config ${secretConfigKey(secretName, key)}`];
    if (names.some((x) => (ctx.secretVariables.get(x) ?? id) !== id)) continue;
    ctx.secretKeys.set(id, origin);
    for (const x of names) ctx.secretVariables.set(x, id);
    return key;
  }
}

/** A dependency as the file declares it (compose service names), checked once every service is known. */
export interface DependencyDraft {
  /** Compose name of the service depended on. */
  readonly service: string;
  readonly condition: DependencyCondition;
  /** Key that declared it ('depends_on', 'links', or 'environment' when inferred). */
  readonly field: string;
  /** Whether it was inferred rather than declared. */
  readonly inferred?: boolean;
}

/** A port with the key that declared it. */
export interface PortDraft extends PortSpec {
  readonly field: 'ports' | 'expose';
}

/** Security settings the file states. */
export interface SecurityDraft {
  /** Whether the file sets `user:` (even when it cannot be carried over). */
  userGiven?: boolean;
  user?: number;
  group?: number;
  readOnly?: boolean;
  capAdd: string[];
  capDrop: string[];
}

/** A build as the file states it. */
export interface BuildDraft {
  readonly context: string;
  readonly dockerfile?: string;
  readonly args: Record<string, string>;
  readonly target?: string;
}

/** One compose service on its way into MicroserviceProps; filled by the key importers. */
export interface ServiceDraft {
  /** Key in the compose file. */
  readonly composeName: string;
  /** Model service name (DNS label). */
  readonly name: string;
  imageRef?: string;
  build?: BuildDraft;
  readonly ports: PortDraft[];
  /** Variables of `env_file`, then of `environment` (later wins), as resolved values. */
  readonly envFileVars: Array<[string, string | undefined]>;
  readonly environmentVars: Array<[string, string | undefined]>;
  /** The final environment (set by finishEnvironment). */
  env: Map<string, EnvValue>;
  /**
   * Values of variables that became secret references although their name is no credential (a URL with a
   * password), credentials shown as `${NAME}`: read only to find the services they address, never output.
   */
  readonly secretEnvValues: Map<string, string>;
  readonly volumes: VolumeProps[];
  readonly configFiles: ConfigFileProps[];
  readonly secretFiles: SecretFileProps[];
  readonly dependencies: DependencyDraft[];
  readinessProbe?: Probe;
  command?: string[];
  args?: string[];
  replicas?: number;
  readonly cpu: { request?: number; limit?: number };
  readonly memory: { request?: number; limit?: number };
  restartPolicy?: RestartPolicy;
  stopSignal?: string;
  stopGracePeriodSeconds?: number;
  readonly labels: Record<string, string>;
  readonly security: SecurityDraft;
  /** Volume names taken in this service. */
  readonly volumeNames: Set<string>;
  /**
   * Compose networks the service is on ('default' unless `networks:` says otherwise); undefined with a
   * `network_mode`, which the model cannot carry over.
   */
  composeNetworks?: string[];
}

/** An empty draft for compose service `composeName`, named `name` in the model. */
export function newDraft(composeName: string, name: string): ServiceDraft {
  return {
    composeName,
    name,
    ports: [],
    envFileVars: [],
    environmentVars: [],
    env: new Map(),
    secretEnvValues: new Map(),
    volumes: [],
    configFiles: [],
    secretFiles: [],
    dependencies: [],
    cpu: {},
    memory: {},
    labels: {},
    security: { capAdd: [], capDrop: [] },
    volumeNames: new Set(),
    composeNetworks: ['default'],
  };
}

/**
 * Runs `fn` on every entry of a list-valued key; an entry it cannot read is reported (naming service and key) and
 * skipped, so one bad entry does not lose the others.
 */
export function eachEntry(value: unknown, d: ServiceDraft, field: string, ctx: ImportContext, fn: (entry: unknown) => void): void {
  const list = Array.isArray(value) ? value : value === null || value === undefined ? [] : [value];
  for (const entry of list) {
    try {
      fn(entry);
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      const message = `entry ${show(entry)} ${e.message}; it is left out`;
      if (e.level === 'error') ctx.report.error(d.composeName, field, message);
      else ctx.report.warn(d.composeName, field, message);
    }
  }
}

/** Runs `fn`, reporting a value it cannot read under `field`. */
export function guarded(fn: () => void, d: ServiceDraft, field: string, ctx: ImportContext): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    ctx.report.warn(d.composeName, field, `${e.message}; it is left out`);
  }
}
