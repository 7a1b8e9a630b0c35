/*
 * The benchmark's applications as plain data, so our model and the raw cdk8s-plus program render the very same
 * services. A realistic mix: every 10th service a database with a persistent volume, every 10th (offset 5) a
 * cache with a scratch volume, the rest HTTP APIs that depend on earlier services.
 */

export type ServiceKind = 'api' | 'database' | 'cache';

export interface ProbeSpec {
  readonly kind: 'http' | 'tcp' | 'command';
  readonly port?: number;
  readonly path?: string;
  readonly command?: string[];
  readonly periodSeconds: number;
}

export interface PortSpec {
  readonly port: number;
  readonly name: string;
  readonly appProtocol?: string;
}

export interface VolumeSpec {
  readonly name: string;
  readonly mountPath: string;
  readonly scratch: boolean;
  /** Persistent volumes only. */
  readonly size?: string;
}

export interface ServiceSpec {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly image: string;
  readonly ports: PortSpec[];
  /** Plain values (secrets are kept out of the mix: both sides would render them the same way). */
  readonly env: Record<string, string>;
  readonly replicas: number;
  /** Names of earlier services. */
  readonly dependsOn: string[];
  readonly readiness: ProbeSpec;
  readonly liveness?: ProbeSpec;
  readonly volumes: VolumeSpec[];
  readonly user: number;
}

/** `n` services; service i depends only on services before it, so the graph is a DAG. */
export function benchSpecs(n: number): ServiceSpec[] {
  const specs: ServiceSpec[] = [];
  let lastDatabase: string | undefined;
  let lastCache: string | undefined;
  for (let i = 0; i < n; i++) {
    const name = `svc-${i}`;
    let spec: ServiceSpec;
    if (i % 10 === 0) {
      spec = database(name);
      lastDatabase = name;
    } else if (i % 10 === 5) {
      spec = cache(name);
      lastCache = name;
    } else {
      // The nearest database and cache, and the previous service when it is an API.
      const previousApi = i % 10 !== 1 && i % 10 !== 6 ? `svc-${i - 1}` : undefined;
      const deps = [lastDatabase, lastCache, previousApi].filter((d): d is string => d !== undefined);
      spec = api(name, i, deps);
    }
    specs.push(spec);
  }
  return specs;
}

function api(name: string, i: number, dependsOn: string[]): ServiceSpec {
  return {
    name,
    kind: 'api',
    image: `ghcr.io/bench/${name}:1.${i}.0`,
    ports: [
      { port: 8080, name: 'http' },
      { port: 9090, name: 'metrics' },
    ],
    env: { LOG_LEVEL: 'info', SERVICE_INDEX: String(i), FEATURE_FLAGS: 'a,b,c' },
    replicas: 2,
    dependsOn,
    readiness: { kind: 'http', port: 8080, path: '/ready', periodSeconds: 5 },
    liveness: { kind: 'http', port: 8080, path: '/healthz', periodSeconds: 10 },
    volumes: [],
    user: 10001,
  };
}

function database(name: string): ServiceSpec {
  return {
    name,
    kind: 'database',
    image: 'postgres:16.4-alpine',
    ports: [{ port: 5432, name: 'postgres', appProtocol: 'postgresql' }],
    env: { POSTGRES_DB: name, PGDATA: '/var/lib/postgresql/data/pgdata' },
    replicas: 1,
    dependsOn: [],
    readiness: { kind: 'command', command: ['pg_isready', '-U', 'postgres'], periodSeconds: 5 },
    volumes: [{ name: `${name}-data`, mountPath: '/var/lib/postgresql/data', scratch: false, size: '10Gi' }],
    user: 70,
  };
}

function cache(name: string): ServiceSpec {
  return {
    name,
    kind: 'cache',
    image: 'redis:7.2-alpine',
    ports: [{ port: 6379, name: 'redis', appProtocol: 'redis' }],
    env: { REDIS_MAXMEMORY_POLICY: 'allkeys-lru' },
    replicas: 1,
    dependsOn: [],
    readiness: { kind: 'tcp', port: 6379, periodSeconds: 2 },
    volumes: [{ name: `${name}-data`, mountPath: '/data', scratch: true }],
    user: 999,
  };
}
