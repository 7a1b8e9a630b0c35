/* Health: the Probe value class, the probes of a service, the Docker health check source and their rules. */
import { ResolvedPort } from './ports';
import { isInt, OptionNames, Report, show, unknownOptionRules } from './validation';

/** Timing of a probe; the same numbers drive Kubernetes probes and Docker health checks. */
export interface ProbeTiming {
  /**
   * Seconds after the container starts before the first check.
   * @default 0
   */
  readonly initialDelaySeconds?: number;
  /**
   * Seconds between checks.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Seconds after which a check counts as failed. Kubernetes' own default is 1 s; ours is 3 s because the same
   * number is the Docker health check's timeout, where `wget`/`nc` start a process in the container for every
   * check (1 s fails spuriously on a loaded host), and a JVM or Node app under load often answers its first checks
   * in more than 1 s. Set it explicitly to get Kubernetes' 1 s.
   * @default 3
   */
  readonly timeoutSeconds?: number;
  /**
   * Consecutive failures before the container counts as unhealthy.
   * @default 3
   */
  readonly failureThreshold?: number;
}

/** Options of an HTTP probe. */
export interface HttpProbeOptions extends ProbeTiming {
  /**
   * Container port to probe; must be one of the service's ports.
   * @default - the service's first port
   */
  readonly port?: number;
  /**
   * Request headers (Kubernetes `httpHeaders`; the Docker health check sends them with `wget --header`).
   * @default {}
   */
  readonly headers?: Record<string, string>;
}

/** Options of a TCP or gRPC probe. */
export interface PortProbeOptions extends ProbeTiming {
  /**
   * Container port to probe; must be one of the service's ports.
   * @default - the service's first port
   */
  readonly port?: number;
}

/** How a probe checks the container. */
export enum ProbeKind {
  HTTP = 'http',
  TCP = 'tcp',
  GRPC = 'grpc',
  COMMAND = 'command',
  /** No check: `healthcheck: Probe.none()` runs no Docker health check. */
  NONE = 'none',
}

/** A health check: liveness, readiness or startup in Kubernetes; the health check in Docker. */
export class Probe {
  /** Healthy when `GET path` answers 2xx/3xx. */
  public static http(path: string, options: HttpProbeOptions = {}): Probe {
    return new Probe(ProbeKind.HTTP, options, options.port, path, undefined);
  }

  /** Healthy when a TCP connection to the port opens. */
  public static tcp(options: PortProbeOptions = {}): Probe {
    return new Probe(ProbeKind.TCP, options, options.port, undefined, undefined);
  }

  /** Healthy when the gRPC health service answers SERVING. */
  public static grpc(options: PortProbeOptions = {}): Probe {
    return new Probe(ProbeKind.GRPC, options, options.port, undefined, undefined);
  }

  /**
   * No check, for `healthcheck` only: Docker targets run no health check (gRPC or distroless images without
   * a shell, wget or nc); dependents then wait for the container to start (a Docker diagnostic says so).
   * Kubernetes keeps the readiness and liveness probes.
   */
  public static none(): Probe {
    return new Probe(ProbeKind.NONE, {}, undefined, undefined, undefined);
  }

  /** Healthy when `command` exits 0 inside the container. */
  public static command(command: string[], options: ProbeTiming = {}): Probe {
    return new Probe(ProbeKind.COMMAND, options, undefined, undefined, [...command]);
  }

  private constructor(
    public readonly kind: ProbeKind,
    public readonly timing: ProbeTiming,
    public readonly port: number | undefined,
    public readonly path: string | undefined,
    public readonly command: string[] | undefined,
  ) {}
}

/** The probes of a service. */
export interface ProbesProps {
  /** @default - none */
  readonly livenessProbe?: Probe;
  /** @default - none */
  readonly readinessProbe?: Probe;
  /** @default - none */
  readonly startupProbe?: Probe;
  /**
   * The Docker health check (Docker has one). Needed when the readiness/liveness probe cannot be expressed in
   * Docker (gRPC) or the image lacks `wget`/`nc` for http/tcp probes; `Probe.none()` runs none.
   * @default - derived from the readiness probe, else the liveness probe (a gRPC one gives none, with a warning)
   */
  readonly healthcheck?: Probe;
}

export interface ResolvedProbe {
  readonly kind: ProbeKind;
  readonly port?: number;
  readonly path?: string;
  readonly command?: string[];
  /** HTTP request headers, in the order given. */
  readonly headers?: Record<string, string>;
  readonly initialDelaySeconds: number;
  readonly periodSeconds: number;
  readonly timeoutSeconds: number;
  readonly failureThreshold: number;
}

export interface ResolvedProbes {
  readonly livenessProbe?: ResolvedProbe;
  readonly readinessProbe?: ResolvedProbe;
  readonly startupProbe?: ResolvedProbe;
  /** The Docker health check source (explicit, else readiness, else liveness); none after `Probe.none()`. */
  readonly healthcheck?: ResolvedProbe;
  /** The field `healthcheck` comes from, for messages. */
  readonly healthcheckField?: 'healthcheck' | 'readinessProbe' | 'livenessProbe';
}

export const PROBES_OPTIONS: OptionNames<ProbesProps> = {
  livenessProbe: true,
  readinessProbe: true,
  startupProbe: true,
  healthcheck: true,
};
const TIMING_OPTIONS: OptionNames<ProbeTiming> = {
  initialDelaySeconds: true,
  periodSeconds: true,
  timeoutSeconds: true,
  failureThreshold: true,
};
const PORT_PROBE_OPTIONS: OptionNames<PortProbeOptions> = { ...TIMING_OPTIONS, port: true };
const HTTP_PROBE_OPTIONS: OptionNames<HttpProbeOptions> = { ...PORT_PROBE_OPTIONS, headers: true };
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export const DEFAULT_PROBE_TIMING = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 3,
  failureThreshold: 3,
};

/** The probe a service's health is judged by (Docker health check, `healthy` dependencies), if any. @internal */
export function healthProbe(p: ProbesProps): Probe | undefined {
  const explicit = p.healthcheck instanceof Probe && p.healthcheck.kind === ProbeKind.NONE ? undefined : p.healthcheck;
  return explicit ?? p.readinessProbe ?? p.livenessProbe;
}

/**
 * Resolves the probes of a container listening on `ports`; `prefix` starts their fields in messages ('' for the
 * service, 'sidecars[proxy].' for a sidecar) and `level` names the container ('the service', 'the sidecar').
 * @internal
 */
export function resolveProbes(p: ProbesProps, ports: ResolvedPort[], report: Report, prefix = '', level = 'the service'): ResolvedProbes {
  const probe = (field: keyof ProbesProps) => resolveProbe(p[field], field, prefix, level, ports, report);
  const resolved = { livenessProbe: probe('livenessProbe'), readinessProbe: probe('readinessProbe'), startupProbe: probe('startupProbe') };
  for (const field of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    if (resolved[field]?.kind === ProbeKind.NONE) report(`'${prefix}${field}' must be a check; Probe.none() is for 'healthcheck' only`);
  }
  if (p.healthcheck) {
    const healthcheck = probe('healthcheck');
    return { ...resolved, ...(healthcheck?.kind === ProbeKind.NONE ? {} : { healthcheck, healthcheckField: 'healthcheck' }) };
  }
  const healthcheckField = resolved.readinessProbe ? 'readinessProbe' : resolved.livenessProbe ? 'livenessProbe' : undefined;
  return { ...resolved, ...(healthcheckField ? { healthcheck: resolved[healthcheckField], healthcheckField } : {}) };
}

function resolveProbe(
  probe: Probe | undefined,
  name: string,
  prefix: string,
  level: string,
  ports: ResolvedPort[],
  report: Report,
): ResolvedProbe | undefined {
  if (!probe) return undefined;
  const field = prefix + name;
  if (!(probe instanceof Probe)) {
    report(`'${field}' must be a Probe (Probe.http, Probe.tcp, Probe.grpc, Probe.command or Probe.none), got ${show(probe)}`);
    return undefined;
  }
  if (probe.kind === ProbeKind.NONE) return { kind: probe.kind, ...DEFAULT_PROBE_TIMING };
  const known = probe.kind === ProbeKind.COMMAND ? TIMING_OPTIONS : probe.kind === ProbeKind.HTTP ? HTTP_PROBE_OPTIONS : PORT_PROBE_OPTIONS;
  unknownOptionRules(probe.timing, known, field, report);
  const headers = probe.kind === ProbeKind.HTTP ? (probe.timing as HttpProbeOptions).headers : undefined;
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (!HEADER_NAME.test(name)) report(`'${field}.headers' name must be an HTTP header name, got ${show(name)}`);
    if (typeof value !== 'string' || [...value].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')) {
      report(`'${field}.headers.${name}' must be a string without control characters, got ${show(value)}`);
    }
  }
  if (probe.kind === ProbeKind.COMMAND) {
    if (!probe.command || probe.command.length === 0 || probe.command.some((c) => typeof c !== 'string' || !c)) {
      report(`'${field}' command must be a non-empty list of non-empty strings, got ${show(probe.command)}`);
    }
  } else if (probe.port === undefined && ports.length === 0) {
    report(`'${field}' is a ${probe.kind} probe but ${level} declares no ports`);
  } else if (probe.port !== undefined && !ports.some((p) => p.port === probe.port)) {
    report(`'${field}' probes port ${probe.port} that '${prefix}ports' does not declare (declared: ${show(ports.map((p) => p.port))})`);
  }
  if (probe.kind === ProbeKind.HTTP && !(probe.path ?? '').startsWith('/'))
    report(`'${field}' path must start with '/', got ${show(probe.path)}`);
  // The path ends up in a Docker health check command line and in YAML: no spaces, quotes or control characters.
  else if (probe.kind === ProbeKind.HTTP && [...probe.path!].some((c) => /[\s"'`\\]/.test(c) || c.charCodeAt(0) < 0x20 || c === '\u007f')) {
    report(`'${field}' path must not contain spaces, quotes, backslashes or control characters, got ${show(probe.path)}`);
  }
  const t = probe.timing;
  const timing = (name: keyof ProbeTiming, min: number): number => {
    const v = t[name];
    if (v !== undefined && !(isInt(v) && v >= min)) report(`'${field}.${name}' must be an integer >= ${min}, got ${show(v)}`);
    return v ?? DEFAULT_PROBE_TIMING[name];
  };
  return {
    kind: probe.kind,
    port: probe.command ? undefined : (probe.port ?? ports[0]?.port),
    path: probe.path,
    command: probe.command && [...probe.command],
    ...(headers && Object.keys(headers).length > 0 ? { headers: { ...headers } } : {}),
    initialDelaySeconds: timing('initialDelaySeconds', 0),
    periodSeconds: timing('periodSeconds', 1),
    timeoutSeconds: timing('timeoutSeconds', 1),
    failureThreshold: timing('failureThreshold', 1),
  };
}
