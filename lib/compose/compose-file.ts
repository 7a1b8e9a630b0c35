/*
 * The subset of the Compose Specification this backend writes, typed. Field names are the specification's own
 * (snake_case), so the object serialises to a compose file as is. Every field works with docker-compose 1.29.
 */

/** A compose file (Compose Specification form: no `version:` key, no top-level `name:`, which 1.29 rejects). */
export interface ComposeFile {
  /** Services, dependencies before dependents. */
  readonly services: Record<string, ComposeService>;
  /** @default - none */
  readonly networks?: Record<string, ComposeNetwork>;
  /** @default - none */
  readonly volumes?: Record<string, ComposeVolume>;
  /** @default - none */
  readonly secrets?: Record<string, ComposeSecret>;
}

export interface ComposeService {
  /** Image to run; for built images, the tag the build gets. */
  readonly image: string;
  /** @default - pulled, not built */
  readonly build?: ComposeBuild;
  readonly container_name: string;
  /** @default - the image's entrypoint */
  readonly entrypoint?: string[];
  /** @default - the image's cmd */
  readonly command?: string[];
  /** @default - none */
  readonly environment?: Record<string, string>;
  /** `port/protocol` of every container port. @default - none */
  readonly expose?: string[];
  /** `host:container/protocol` of published ports. @default - none */
  readonly ports?: string[];
  /** Networks joined (absent with `network_mode`). @default - none */
  readonly networks?: Record<string, ComposeServiceNetwork>;
  /** `service:<key>`: share that service's network namespace. @default - own namespace */
  readonly network_mode?: string;
  /** `volume:target[:ro]` and `./file:target:ro` mounts. @default - none */
  readonly volumes?: string[];
  /** @default - none */
  readonly tmpfs?: string[];
  /** @default - none */
  readonly secrets?: ComposeServiceSecret[];
  /** `uid:gid`. */
  readonly user: string;
  readonly read_only: boolean;
  /** @default - none */
  readonly cap_drop?: string[];
  /** @default - none */
  readonly cap_add?: string[];
  /** @default - none */
  readonly security_opt?: string[];
  /** @default - the image's health check */
  readonly healthcheck?: ComposeHealthcheck;
  readonly restart: 'always' | 'on-failure' | 'no';
  /** @default - the image's STOPSIGNAL, else SIGTERM */
  readonly stop_signal?: string;
  /** Duration as `<n>s`. @default - 10s */
  readonly stop_grace_period?: string;
  readonly deploy: ComposeDeploy;
  /** @default - none */
  readonly labels?: Record<string, string>;
  /** @default - none */
  readonly depends_on?: Record<string, ComposeDependency>;
  readonly logging: ComposeLogging;
}

export interface ComposeBuild {
  /** Relative to the directory of the compose file (`./...`). */
  readonly context: string;
  readonly dockerfile: string;
  /** @default - none */
  readonly args?: Record<string, string>;
  /** @default - the last stage */
  readonly target?: string;
}

export interface ComposeServiceNetwork {
  /** Extra DNS names on that network. @default - only the service key */
  readonly aliases?: string[];
}

export interface ComposeServiceSecret {
  /** Key in the top-level `secrets:`. */
  readonly source: string;
  /** Absolute path in the container. */
  readonly target: string;
}

export interface ComposeHealthcheck {
  /** Exec form, `['CMD', ...]`. */
  readonly test: string[];
  /** Durations as `<n>s`. */
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly start_period: string;
}

export interface ComposeDeploy {
  readonly resources: {
    readonly limits: { readonly cpus: string; readonly memory: string };
    readonly reservations: { readonly memory: string };
  };
}

export interface ComposeDependency {
  readonly condition: 'service_started' | 'service_healthy';
}

export interface ComposeLogging {
  readonly driver: string;
  /** @default - the driver's defaults */
  readonly options?: Record<string, string>;
}

export interface ComposeNetwork {
  /** Docker network name (not prefixed with the compose project). */
  readonly name: string;
  /** No route out of the host (a service's own network; the edge network is not internal). */
  readonly internal?: boolean;
}

export interface ComposeVolume {
  /** Docker volume name (not prefixed with the compose project). */
  readonly name: string;
}

export interface ComposeSecret {
  /** File holding the value, relative to the compose file (`./...`); the user provides it. */
  readonly file: string;
}

/** A file the compose file bind-mounts, to be written next to it. */
export interface ComposeAsset {
  /** Path relative to the compose file's directory, with `/` separators, e.g. `shop/gateway/nginx.conf`. */
  readonly path: string;
  readonly content: string;
  /** File mode. */
  readonly mode: number;
}
