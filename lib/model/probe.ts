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
   * Seconds after which a check counts as failed.
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
