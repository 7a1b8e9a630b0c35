/* The public options and result types of compose import, and the diagnostics it collects. */
import { Application, ApplicationProps, Diagnostic, DiagnosticLevel, formatDiagnosticLine } from '../model';

/** What becomes of a host bind mount (`./dir:/path`, `/var/run/docker.sock:/...`): no target has host paths. */
export enum HostBindMounts {
  /**
   * A file under `baseDir` becomes a config file with its content (a file whose name looks like a credential
   * becomes a secret file reference instead, so its content never lands in an output); a directory under `baseDir`
   * with at most 32 small text files becomes one config file each. Anything else (missing, outside `baseDir`,
   * larger: typically a source tree for live reload, which the image already contains) is left out, so the image's
   * own content at that path stays, and reported.
   */
  CONFIG = 'config',
  /** Every bind mount becomes an empty scratch volume (writable, lives with the container), reported. */
  SCRATCH = 'scratch',
  /** Every bind mount becomes a persistent volume (for data directories), reported: seed it yourself. */
  PERSISTENT = 'persistent',
  /** Every bind mount is left out, reported. */
  OMIT = 'omit',
}

/** Which security settings an imported service gets where the compose file says nothing. */
export enum ImportSecurity {
  /**
   * The model's secure defaults: non-root uid/gid 10001, read-only root filesystem (writable /tmp), all
   * capabilities dropped, no privilege escalation. `user:`, `read_only:` and `cap_add:` of the file still apply.
   * Images that expect root or write outside /tmp need `user:`/`read_only: false` in the file (or COMPOSE).
   */
  SECURE = 'secure',
  /**
   * What Docker does without those keys: the service runs as root (uid 0) with a writable root filesystem,
   * privilege escalation allowed and Docker's default capabilities added back; keys the file sets still apply.
   */
  COMPOSE = 'compose',
}

/** Options of {@link importCompose}. */
export interface ComposeImportOptions {
  /**
   * Application name, made a DNS-1123 label.
   * @default - the file's top-level `name:`, else the name of `baseDir` (as compose names projects), else 'imported'
   */
  readonly name?: string;
  /**
   * Directory of the compose file: build contexts, `env_file`, bind mounts, `configs` files and the `.env` file
   * resolve against it, and no file outside it is ever read.
   * @default - none: no file is read; what needs one is reported
   */
  readonly baseDir?: string;
  /** @default HostBindMounts.CONFIG */
  readonly hostBindMounts?: HostBindMounts;
  /** @default ImportSecurity.SECURE */
  readonly security?: ImportSecurity;
  /**
   * Values of `${VAR}` interpolation and of variables listed without a value (compose reads both from the shell).
   * The shell is not consulted, so an import is reproducible.
   * @default - the variables of the `.env` file in `baseDir`, if any
   */
  readonly environment?: Record<string, string>;
  /**
   * Container ports of services whose compose definition declares none, by compose service name. Compose lets a
   * service reach any port of another; the model connects a dependent only to declared ports.
   * @default - inferred from `host:port` references in other services' environment, else from well-known images
   */
  readonly ports?: Record<string, number[]>;
  /**
   * Variables whose names look like credentials but whose values are not (`TOKEN_TTL`, `PASSWORD_MIN_LENGTH`): kept
   * as plain values (`EnvValue.fromValue(value, { notSecret: true })`) instead of becoming secret references. A value
   * that holds a credential (an interpolated password, a URL with one) is a secret all the same.
   * @default []
   */
  readonly notSecret?: string[];
  /** Properties of the application (namespace, labels, resources, ...). @default {} */
  readonly props?: ApplicationProps;
}

/** Target name of import diagnostics. */
export const COMPOSE_IMPORT_TARGET = 'compose-import';

/** Service name of diagnostics about top-level keys (`networks`, `version`, ...). */
export const COMPOSE_IMPORT_TOP_LEVEL = '(top-level)';

/**
 * A diagnostic of compose import: `info` when a key is carried over with a documented change of meaning (e.g. the
 * security defaults), `warning` when something is changed, left out or needs an action (create a secret), `error`
 * when the compose file itself is invalid there.
 */
export interface ComposeImportDiagnostic extends Omit<Diagnostic, 'level'> {
  readonly level: DiagnosticLevel | 'info';
}

/** `warning [compose-import] service 'web': 'container_name' cannot be carried over ...` */
export function formatImportDiagnostic(d: ComposeImportDiagnostic): string {
  // The model's line; an import diagnostic has no acknowledgement id (nothing in the application raised it).
  return formatDiagnosticLine(d);
}

/** The result of {@link importCompose}. */
export interface ComposeImport {
  /** The application, not yet validated: call `resolve()` or render it. */
  readonly application: Application;
  /** Everything that was not carried over exactly, in file order. */
  readonly diagnostics: ComposeImportDiagnostic[];
}
