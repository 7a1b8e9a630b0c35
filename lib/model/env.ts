/* Environment: plain values, secret references and application config keys, and the rules that keep credentials out of the outputs. */
import type { Microservice } from './microservice';
import { isDnsSubdomain, isEnvName, secretConfigKey, secretVariable } from './names';
import { objectRule, OptionNames, Report, show, unknownOptionRules } from './validation';

/** A reference to one key of a secret that lives outside the definition (never a plaintext value). */
export interface SecretKeyRef {
  /** Name of the secret (a DNS-1123 subdomain). */
  readonly name: string;
  /** Key inside the secret. */
  readonly key: string;
}

/** How an environment variable gets its value. */
export enum EnvSource {
  VALUE = 'value',
  SECRET = 'secret',
  CONFIG = 'config',
  /** An address of another service of the application (resolved to a plain value per target). */
  ENDPOINT = 'endpoint',
}

/** What {@link EnvValue.fromEndpoint} gives. */
export enum EndpointForm {
  /** `catalog` */
  HOST = 'host',
  /** `3550` */
  PORT = 'port',
  /** `catalog:3550` */
  HOST_PORT = 'hostPort',
  /** `http://catalog:3550` (the port's appProtocol is the scheme) */
  URL = 'url',
}

/** Options of {@link EnvValue.fromEndpoint}. */
export interface EndpointOptions {
  /**
   * The port, by container port number or by name.
   * @default - the service's first port
   */
  readonly port?: number | string;
  /** @default EndpointForm.HOST_PORT */
  readonly form?: EndpointForm;
}

/** @internal */
export const ENDPOINT_OPTIONS: OptionNames<EndpointOptions> = { port: true, form: true };

/** Options of {@link EnvValue.fromValue}. */
export interface ValueOptions {
  /**
   * The value is not a credential although the variable's name looks like one (`TOKEN_TTL`, `PASSWORD_MIN_LENGTH`):
   * write it in plain text.
   * @default false - a variable whose name looks like a secret needs `EnvValue.fromSecret`
   */
  readonly notSecret?: boolean;
}

/** @internal */
export const VALUE_OPTIONS: OptionNames<ValueOptions> = { notSecret: true };

/** An address of another service, as given to {@link EnvValue.fromEndpoint}. */
export interface EndpointRef {
  readonly service: Microservice;
  readonly options: EndpointOptions;
}

/** The value of an environment variable: a plain value, a secret reference or an application config key. */
export class EnvValue {
  /**
   * A plain, non-secret value. A variable whose name looks like a credential (`DB_PASSWORD`, `API_TOKEN`) is refused
   * unless `notSecret` says it is not one.
   */
  public static fromValue(value: string, options: ValueOptions = {}): EnvValue {
    return new EnvValue(EnvSource.VALUE, value, undefined, undefined, undefined, options);
  }

  /**
   * A key of a secret: `secretKeyRef` in Kubernetes, Pulumi secret config in Docker, an interpolated
   * variable in compose. The value never appears in any output.
   */
  public static fromSecret(name: string, key: string): EnvValue {
    return new EnvValue(EnvSource.SECRET, undefined, { name, key }, undefined);
  }

  /** A key of the application's shared config (`ApplicationProps.config`): a ConfigMap key in Kubernetes. */
  public static fromConfig(key: string): EnvValue {
    return new EnvValue(EnvSource.CONFIG, undefined, undefined, key);
  }

  /**
   * An address of `service` in the variable name the app reads (`PRODUCT_CATALOG_SERVICE_ADDR`, `DB_HOST`):
   * `catalog:3550` by default, the value that works in each target (Kubernetes: the Service port; Docker: the
   * container port). Using it makes the service depend on `service`, as `dependsOn` does.
   */
  public static fromEndpoint(service: Microservice, options: EndpointOptions = {}): EnvValue {
    return new EnvValue(EnvSource.ENDPOINT, undefined, undefined, undefined, { service, options });
  }

  private constructor(
    public readonly source: EnvSource,
    public readonly value: string | undefined,
    public readonly secret: SecretKeyRef | undefined,
    public readonly configKey: string | undefined,
    public readonly endpoint?: EndpointRef,
    /** The options of a plain value. */
    public readonly valueOptions?: ValueOptions,
  ) {}
}

export interface ResolvedSecretRef {
  readonly name: string;
  readonly key: string;
  /** Pulumi config key holding the value (`pulumi config set --secret <configKey>`). */
  readonly configKey: string;
  /** Variable compose interpolates the value from (`${VAR}` from the shell or `.env`). */
  readonly variable: string;
}

export interface ResolvedEnvVar {
  readonly name: string;
  readonly source: EnvSource;
  /** Plain value (VALUE), or the config value (CONFIG, inlined by Docker targets). */
  readonly value?: string;
  /** Secret reference (SECRET). */
  readonly secret?: ResolvedSecretRef;
  /** Application config key (CONFIG). */
  readonly configKey?: string;
  /**
   * The value in Docker targets, when it differs from `value` (a dependency's address: Kubernetes clients reach
   * its Service port, Docker clients its container port).
   */
  readonly dockerValue?: string;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
/** Names that hold credentials: such variables need a secret reference, not a plaintext value. */
const SECRET_LIKE = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIALS?)(?!.*_(FILE|PATH|NAME|USER|HOST|URL)$)/i;

/** Resolves an endpoint reference of variable `name` held by field `where`. @internal */
export type EndpointResolver = (name: string, ref: EndpointRef, where: string, report: Report) => ResolvedEnvVar | undefined;

/**
 * Resolves an env map; `where` is the field ('env', 'sidecars[envoy].env'), `config` the application's config,
 * `endpoint` resolves `EnvValue.fromEndpoint` values.
 * @internal
 */
export function resolveEnv(
  env: Record<string, EnvValue> | undefined,
  where: string,
  config: Record<string, string>,
  report: Report,
  endpoint?: EndpointResolver,
): ResolvedEnvVar[] {
  const out: ResolvedEnvVar[] = [];
  for (const [name, v] of Object.entries(env ?? {})) {
    if (!isEnvName(name)) report(`'${where}' variable name must match [-._a-zA-Z][-._a-zA-Z0-9]*, got ${show(name)}`);
    if (!(v instanceof EnvValue)) {
      report(`'${where}.${name}' must be an EnvValue (EnvValue.fromValue/fromSecret/fromConfig), got ${show(v)}`);
      continue;
    }
    switch (v.source) {
      case EnvSource.SECRET:
        out.push({ name, source: v.source, secret: resolveSecretRef(v.secret!.name, v.secret!.key, `${where}.${name}`, report) });
        break;
      case EnvSource.ENDPOINT: {
        unknownOptionRules(v.endpoint!.options, ENDPOINT_OPTIONS, `${where}.${name}`, report);
        const resolved = endpoint?.(name, v.endpoint!, `${where}.${name}`, report);
        if (resolved) out.push(resolved);
        break;
      }
      case EnvSource.CONFIG:
        if (SECRET_LIKE.test(name)) {
          report(
            `'${where}.${name}' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a secret, got ` +
              `config key ${show(v.configKey)} (written in plain text)`,
          );
        }
        if (!(v.configKey! in config))
          report(`'${where}.${name}' refers to config key ${show(v.configKey)} that the application's 'config' does not define`);
        out.push({ name, source: v.source, configKey: v.configKey, value: config[v.configKey!] });
        break;
      default: {
        if (v.value !== undefined && typeof v.value !== 'string') {
          report(`'${where}.${name}' value must be a string, got ${typeof v.value === 'object' ? typeof v.value : show(v.value)}`);
        }
        if (objectRule(v.valueOptions, `${where}.${name}`, report))
          unknownOptionRules(v.valueOptions, VALUE_OPTIONS, `${where}.${name}`, report);
        const notSecret = v.valueOptions?.notSecret;
        if (notSecret !== undefined && typeof notSecret !== 'boolean') {
          report(`'${where}.${name}' option 'notSecret' must be a boolean, got ${show(notSecret)}`);
        }
        // The value itself is not shown: it is a credential and error messages end up in CI logs.
        if (v.value && SECRET_LIKE.test(name) && notSecret !== true) {
          report(
            `'${where}.${name}' must be a secret reference (EnvValue.fromSecret(name, key)) as its name looks like a secret, got a ` +
              `plaintext value (not a credential? EnvValue.fromValue(value, { notSecret: true }))`,
          );
        }
        out.push({ name, source: EnvSource.VALUE, value: v.value ?? '' });
      }
    }
  }
  return out;
}

/**
 * Two different secret keys must never be read from one compose variable or one Pulumi config key (`a-b`/`c` and
 * `a`/`b-c` both give `A_B_C`): `refs` lists every reference in definition order with the field that holds it.
 * @internal
 */
export function secretClashRules(refs: Array<[ResolvedSecretRef, string]>, report: Report): void {
  for (const [what, keyOf] of [
    ['compose variable', (r: ResolvedSecretRef) => r.variable],
    ['Pulumi config key', (r: ResolvedSecretRef) => r.configKey],
  ] as const) {
    const first = new Map<string, [ResolvedSecretRef, string]>();
    for (const [ref, where] of refs) {
      const k = keyOf(ref);
      const prior = first.get(k);
      if (!prior) first.set(k, [ref, where]);
      else if (prior[0].name !== ref.name || prior[0].key !== ref.key) {
        report(
          `${where}: secret ${show(`${ref.name}/${ref.key}`)} and secret ${show(`${prior[0].name}/${prior[0].key}`)} (${prior[1]}) ` +
            `would share ${what} ${show(k)}; rename one`,
        );
      }
    }
  }
}

/** Resolves a reference to one key of a secret; `where` is the field that holds it. @internal */
export function resolveSecretRef(name: string, key: string, where: string, report: Report): ResolvedSecretRef {
  if (!isDnsSubdomain(name)) report(`'${where}' secret name must be a DNS-1123 subdomain, got ${show(name)}`);
  if (!(typeof key === 'string' && SECRET_KEY.test(key))) report(`'${where}' secret key must match [-._a-zA-Z0-9]+, got ${show(key)}`);
  // As a file name, '.' or '..' would mount the secret's folder (other keys included) instead of one key.
  else if (key === '.' || key === '..') report(`'${where}' secret key must not be '.' or '..', got ${show(key)}`);
  return { name, key, configKey: secretConfigKey(name, key), variable: secretVariable(name, key) };
}
