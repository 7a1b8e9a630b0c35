import * as path from 'path';
import { Construct } from 'constructs';
import {
  Application,
  Cpu,
  DependencyCondition,
  EnvSource,
  EnvValue,
  Gateway,
  Image,
  Memory,
  Microservice,
  Probe,
  ProbeKind,
  Protocol,
  ResolvedApplication,
  ResolvedService,
  RestartPolicy,
  ServiceType,
} from '../../lib/model';
import { BUILD_CONTEXT, httpService, IMAGE, newApp, worker } from './helpers';

function service(resolved: ResolvedApplication, name: string): ResolvedService {
  const s = resolved.services.find((x) => x.name === name);
  if (!s) throw new Error(`no service '${name}' in ${resolved.services.map((x) => x.name).join(', ')}`);
  return s;
}

function envOf(s: ResolvedService): Record<string, string | undefined> {
  return Object.fromEntries(s.env.map((e) => [e.name, e.value]));
}

describe('defaults', () => {
  const app = newApp();
  httpService(app, 'web', {
    readinessProbe: Probe.http('/ready'),
    volumes: [
      { name: 'data', mountPath: '/data' },
      { name: 'cache', mountPath: '/cache', scratch: true },
    ],
    metrics: { port: 8080 },
  });
  worker(app, 'jobs', { autoscaling: { minReplicas: 2, maxReplicas: 4 } });
  const resolved = app.resolve();
  const web = service(resolved, 'web');

  test('secure defaults: non-root 10001, read-only root with a writable /tmp, no escalation, drop ALL', () => {
    expect(web.security).toEqual({
      user: 10001,
      group: 10001,
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      writablePaths: ['/tmp'],
      allowPrivilegeEscalation: false,
      capabilitiesDrop: ['ALL'],
      capabilitiesAdd: [],
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('resources: 100m/500m cpu, 128Mi/256Mi memory', () => {
    expect(web.resources).toEqual({ cpuRequestMillis: 100, cpuLimitMillis: 500, memoryRequestMiB: 128, memoryLimitMiB: 256 });
  });

  test('probe timings: 0s delay, 10s period, 3s timeout, 3 failures; port = first port', () => {
    expect(web.readinessProbe).toEqual({
      kind: ProbeKind.HTTP,
      port: 8080,
      path: '/ready',
      command: undefined,
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 3,
    });
    expect(web.livenessProbe).toBeUndefined();
    // The Docker health check falls back to the readiness probe.
    expect(web.healthcheck).toEqual(web.readinessProbe);
  });

  test('volumes: 1Gi, persistent, writable', () => {
    expect(web.volumes).toEqual([
      { name: 'data', mountPath: '/data', size: '1Gi', scratch: false, readOnly: false },
      { name: 'cache', mountPath: '/cache', size: '1Gi', scratch: true, readOnly: false },
    ]);
  });

  test('one replica, restart always, ClusterIP, metrics on /metrics, port named port-<n> unless named', () => {
    expect(web.replicas).toBe(1);
    expect(web.autoscaling).toBeUndefined();
    expect(web.restartPolicy).toBe(RestartPolicy.ALWAYS);
    expect(web.serviceType).toBe(ServiceType.CLUSTER_IP);
    expect(web.metrics).toEqual({ port: 8080, path: '/metrics' });
    expect(web.ports).toEqual([
      { name: 'http', port: 8080, protocol: Protocol.TCP, appProtocol: 'http', publish: undefined, servicePort: 8080 },
    ]);
  });

  test('autoscaling: target 80% cpu, replicas = minReplicas', () => {
    const jobs = service(resolved, 'jobs');
    expect(jobs.autoscaling).toEqual({ minReplicas: 2, maxReplicas: 4, targetCpuPercent: 80 });
    expect(jobs.replicas).toBe(2);
  });

  test('application: standard labels, wait image, json-file logging, no gateway, no namespace', () => {
    expect(resolved.labels).toEqual({ 'app.kubernetes.io/part-of': 'app', 'app.kubernetes.io/managed-by': 'microservice-constructs' });
    expect(web.labels).toEqual({ ...resolved.labels, 'app.kubernetes.io/name': 'web' });
    expect(web.selectorLabels).toEqual({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/part-of': 'app' });
    expect(resolved.waitImage).toBe('busybox:1.36.1');
    expect(resolved.logging).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } });
    expect(resolved.gateway).toBeUndefined();
    expect(resolved.namespace).toBeUndefined();
  });
});

describe('application-level and per-service overrides', () => {
  const app = newApp({
    namespace: 'prod',
    labels: { team: 'shop' },
    security: { user: 2000, group: 3000, capabilitiesAdd: ['NET_BIND_SERVICE'] },
    resources: { cpu: { limit: Cpu.cores(1) }, memory: { request: Memory.mebibytes(256), limit: Memory.mebibytes(512) } },
    logging: { driver: 'syslog' },
  });
  const web = httpService(app, 'web', {
    security: { readOnlyRootFilesystem: false, writablePaths: ['/var/cache'] },
    resources: { memory: { limit: Memory.gibibytes(1) } },
    labels: { tier: 'frontend' },
    sidecars: [
      { name: 'proxy', image: IMAGE, resources: { cpu: { limit: Cpu.millis(200) } }, security: { user: 101 } },
      { name: 'logs', image: IMAGE },
    ],
  });
  httpService(app, 'api', { resources: { memory: { limit: Memory.mebibytes(128) } } });
  new Gateway(app, 'Edge', { routes: [{ path: '/', service: web }] });
  const resolved = app.resolve();

  test('a service inherits the application security and overrides single fields', () => {
    expect(service(resolved, 'web').security).toEqual({
      user: 2000,
      group: 3000,
      runAsNonRoot: true,
      readOnlyRootFilesystem: false,
      writablePaths: ['/var/cache'],
      allowPrivilegeEscalation: false,
      capabilitiesDrop: ['ALL'],
      capabilitiesAdd: ['NET_BIND_SERVICE'],
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(service(resolved, 'api').security.user).toBe(2000);
    expect(service(resolved, 'api').security.readOnlyRootFilesystem).toBe(true);
  });

  test('a service inherits the application resources and overrides single fields', () => {
    expect(service(resolved, 'web').resources).toEqual({
      cpuRequestMillis: 100,
      cpuLimitMillis: 1000,
      memoryRequestMiB: 256,
      memoryLimitMiB: 1024,
    });
  });

  test('an inherited request above a service limit follows the limit down', () => {
    expect(service(resolved, 'api').resources).toEqual({
      cpuRequestMillis: 100,
      cpuLimitMillis: 1000,
      memoryRequestMiB: 128,
      memoryLimitMiB: 128,
    });
  });

  test('sidecars inherit the service settings field by field', () => {
    const [proxy, logs] = service(resolved, 'web').sidecars;
    expect(proxy.resources).toEqual({ cpuRequestMillis: 100, cpuLimitMillis: 200, memoryRequestMiB: 256, memoryLimitMiB: 1024 });
    expect(proxy.security.user).toBe(101);
    expect(proxy.security.group).toBe(3000);
    expect(proxy.security.readOnlyRootFilesystem).toBe(false);
    expect(logs.resources).toEqual(service(resolved, 'web').resources);
    expect(logs.security).toEqual(service(resolved, 'web').security);
  });

  test('the gateway gets the application defaults', () => {
    expect(resolved.gateway!.name).toBe('edge');
    expect(resolved.gateway!.resources).toEqual({
      cpuRequestMillis: 100,
      cpuLimitMillis: 1000,
      memoryRequestMiB: 256,
      memoryLimitMiB: 512,
    });
    expect(resolved.gateway!.security.user).toBe(2000);
    expect(resolved.gateway!.labels).toEqual({
      team: 'shop',
      'app.kubernetes.io/part-of': 'app',
      'app.kubernetes.io/managed-by': 'microservice-constructs',
      'app.kubernetes.io/name': 'edge',
      'app.kubernetes.io/component': 'gateway',
    });
  });

  test('labels, namespace and logging', () => {
    expect(service(resolved, 'web').labels).toEqual({
      team: 'shop',
      tier: 'frontend',
      'app.kubernetes.io/part-of': 'app',
      'app.kubernetes.io/managed-by': 'microservice-constructs',
      'app.kubernetes.io/name': 'web',
    });
    expect(resolved.namespace).toBe('prod');
    expect(resolved.logging).toEqual({ driver: 'syslog', options: {} });
  });

  test('the defaults themselves are not mutated by a resolve', () => {
    const other = newApp();
    httpService(other, 'web');
    expect(service(other.resolve(), 'web').security.capabilitiesAdd).toEqual([]);
    expect(service(other.resolve(), 'web').security.writablePaths).toEqual(['/tmp']);
  });
});

describe('service names from construct paths', () => {
  /** A reusable construct two levels deep: Platform > Data > Cache. */
  class Data extends Construct {
    public readonly cache: Microservice;
    public readonly store: Microservice;
    constructor(scope: Construct, id: string) {
      super(scope, id);
      this.cache = new Microservice(this, 'Cache', { image: IMAGE, ports: [{ port: 6379, name: 'redis', appProtocol: 'redis' }] });
      this.store = new Microservice(this, 'store', { name: 'object-store', image: IMAGE, ports: [{ port: 9000 }] });
    }
  }
  class Platform extends Construct {
    public readonly data: Data;
    constructor(scope: Construct, id: string) {
      super(scope, id);
      this.data = new Data(this, 'Data');
    }
  }

  const app = newApp();
  const platform = new Platform(app, 'platform');
  httpService(app, 'web', { dependsOn: [platform.data.cache, platform.data.store] });
  const resolved = app.resolve();

  test('a nested service is named after its path below the application', () => {
    expect(resolved.services.map((s) => s.name)).toEqual(['platform-data-cache', 'object-store', 'web']);
    expect(service(resolved, 'platform-data-cache').path).toBe('platform/Data/Cache');
    expect(service(resolved, 'object-store').path).toBe('platform/Data/store');
    expect(service(resolved, 'platform-data-cache').envPrefix).toBe('PLATFORM_DATA_CACHE');
  });

  test('dependents reach nested services by their derived names', () => {
    expect(envOf(service(resolved, 'web'))).toEqual({
      PLATFORM_DATA_CACHE_HOST: 'platform-data-cache',
      PLATFORM_DATA_CACHE_PORT: '6379',
      PLATFORM_DATA_CACHE_URL: 'redis://platform-data-cache:6379',
      OBJECT_STORE_HOST: 'object-store',
      OBJECT_STORE_PORT: '9000',
    });
  });
});

describe('dependencies', () => {
  const app = newApp();
  const web = httpService(app, 'web', { env: { MODE: EnvValue.fromValue('prod') } });
  const api = httpService(app, 'api', {
    ports: [
      { port: 8080, name: 'http' },
      { port: 9090, name: 'metrics' },
    ],
    readinessProbe: Probe.http('/ready'),
  });
  const db = new Microservice(app, 'user-db', {
    image: IMAGE,
    ports: [{ port: 5432, name: 'postgres', appProtocol: 'postgresql' }],
    readinessProbe: Probe.command(['pg_isready']),
  });
  const cache = new Microservice(app, 'cache', { image: IMAGE, ports: [{ port: 6379 }] });
  const grpc = new Microservice(app, 'grpc', {
    image: IMAGE,
    ports: [{ port: 50051, name: 'grpc', appProtocol: 'grpc' }],
    healthcheck: Probe.command(['true']),
  });
  web.addDependency(api);
  web.addDependency(cache);
  web.addDependency(grpc, { condition: DependencyCondition.STARTED });
  api.addDependency(db);
  const gateway = new Gateway(app, 'gateway', {
    routes: [
      { path: '/', service: web },
      { path: '/api', service: api, port: 8080 },
    ],
  });
  const resolved = app.resolve();

  test('dependencies come before dependents; ties keep definition order', () => {
    expect(resolved.services.map((s) => s.name)).toEqual(['user-db', 'api', 'cache', 'grpc', 'web']);
    const order = resolved.services.map((s) => s.name);
    for (const s of resolved.services) for (const d of s.dependencies) expect(order.indexOf(d.service)).toBeLessThan(order.indexOf(s.name));
  });

  test('dependents are the services that declared the dependency', () => {
    expect(Object.fromEntries(resolved.services.map((s) => [s.name, s.dependents]))).toEqual({
      'user-db': ['api'],
      api: ['web'],
      cache: ['web'],
      grpc: ['web'],
      web: [],
    });
  });

  test('the condition defaults to healthy when the dependency has a probe or healthcheck, else started', () => {
    expect(service(resolved, 'web').dependencies).toEqual([
      { service: 'api', condition: DependencyCondition.HEALTHY, wait: true, host: 'api', port: 8080, servicePort: 8080, envPrefix: 'API' },
      {
        service: 'cache',
        condition: DependencyCondition.STARTED,
        wait: true,
        host: 'cache',
        port: 6379,
        servicePort: 6379,
        envPrefix: 'CACHE',
      },
      // explicit STARTED wins over the dependency's healthcheck
      {
        service: 'grpc',
        condition: DependencyCondition.STARTED,
        wait: true,
        host: 'grpc',
        port: 50051,
        servicePort: 50051,
        envPrefix: 'GRPC',
      },
    ]);
    expect(service(resolved, 'api').dependencies[0]).toMatchObject({
      service: 'user-db',
      condition: DependencyCondition.HEALTHY,
      envPrefix: 'USER_DB',
    });
  });

  test('<DEP>_HOST/_PORT for the first port; <DEP>_URL only with an app protocol (http for ports named http)', () => {
    expect(service(resolved, 'web').env).toEqual([
      { name: 'MODE', source: EnvSource.VALUE, value: 'prod' },
      { name: 'API_HOST', source: EnvSource.VALUE, value: 'api' },
      { name: 'API_PORT', source: EnvSource.VALUE, value: '8080' },
      { name: 'API_URL', source: EnvSource.VALUE, value: 'http://api:8080' },
      { name: 'CACHE_HOST', source: EnvSource.VALUE, value: 'cache' },
      { name: 'CACHE_PORT', source: EnvSource.VALUE, value: '6379' },
      { name: 'GRPC_HOST', source: EnvSource.VALUE, value: 'grpc' },
      { name: 'GRPC_PORT', source: EnvSource.VALUE, value: '50051' },
      { name: 'GRPC_URL', source: EnvSource.VALUE, value: 'grpc://grpc:50051' },
    ]);
    expect(envOf(service(resolved, 'api'))).toEqual({
      USER_DB_HOST: 'user-db',
      USER_DB_PORT: '5432',
      USER_DB_URL: 'postgresql://user-db:5432',
    });
    expect(service(resolved, 'cache').env).toEqual([]);
  });

  test('routed marks exactly the services the gateway routes to', () => {
    expect(resolved.services.filter((s) => s.routed).map((s) => s.name)).toEqual(['api', 'web']);
    expect(resolved.gateway!.routes).toEqual([
      { path: '/', service: 'web', port: 8080, servicePort: 8080 },
      { path: '/api', service: 'api', port: 8080, servicePort: 8080 },
    ]);
    expect(resolved.gateway).toMatchObject({
      name: 'gateway',
      image: 'nginx:1.27-alpine',
      publish: 8080,
      listenPort: 8080,
      controllerNamespace: 'ingress-nginx',
    });
    expect(gateway.routes).toHaveLength(2);
  });
});

describe('images', () => {
  const app = newApp({
    imageOverrides: {
      'redis:7.2-alpine': 'registry.local/redis:7.2-alpine',
      'nginx:1.27-alpine': 'registry.local/nginx:1.27-alpine',
      'envoyproxy/envoy:v1.31.2': 'registry.local/envoy:v1.31.2',
    },
  });
  const redis = new Microservice(app, 'redis', {
    image: Image.fromRegistry('redis:7.2-alpine'),
    ports: [{ port: 6379 }],
    sidecars: [{ name: 'proxy', image: Image.fromRegistry('envoyproxy/envoy:v1.31.2') }],
  });
  new Microservice(app, 'mongo', { image: Image.fromRegistry('mongo:7.0.14'), ports: [{ port: 27017 }] });
  const web = httpService(app, 'web', {
    image: Image.fromDockerfile(path.relative(process.cwd(), BUILD_CONTEXT), { buildArgs: { PY: '3.12' }, target: 'runtime' }),
    dependsOn: [redis],
  });
  httpService(app, 'api', { image: Image.fromDockerfile(BUILD_CONTEXT, { tag: 'ghcr.io/acme/api:1.0.0', dockerfile: 'Dockerfile' }) });
  new Gateway(app, 'gateway', { routes: [{ path: '/', service: web }] });
  const resolved = app.resolve();

  test('imageOverrides replace registry references of services and sidecars; others stay', () => {
    expect(service(resolved, 'redis').image).toEqual({ reference: 'registry.local/redis:7.2-alpine' });
    expect(service(resolved, 'redis').sidecars[0].image).toEqual({ reference: 'registry.local/envoy:v1.31.2' });
    expect(service(resolved, 'mongo').image).toEqual({ reference: 'mongo:7.0.14' });
  });

  test('imageOverrides apply to the gateway image', () => {
    expect(resolved.gateway!.image).toBe('registry.local/nginx:1.27-alpine');
  });

  test('a build defaults to the tag <app>/<service>:dev with an absolute context', () => {
    expect(service(resolved, 'web').image).toEqual({
      reference: 'app/web:dev',
      build: { context: BUILD_CONTEXT, dockerfile: 'Dockerfile', buildArgs: { PY: '3.12' }, target: 'runtime' },
    });
    expect(path.isAbsolute(service(resolved, 'web').image.build!.context)).toBe(true);
  });

  test('a build with a tag uses it', () => {
    expect(service(resolved, 'api').image.reference).toBe('ghcr.io/acme/api:1.0.0');
    expect(service(resolved, 'api').image.build!.context).toBe(BUILD_CONTEXT);
  });
});

describe('config and secrets', () => {
  const app = newApp({ config: { LOG_LEVEL: 'debug', 'feature.flags': 'a,b' } });
  httpService(app, 'web', {
    env: {
      LOG_LEVEL: EnvValue.fromConfig('LOG_LEVEL'),
      FLAGS: EnvValue.fromConfig('feature.flags'),
      DB_PASSWORD: EnvValue.fromSecret('users-db', 'password'),
      JWT_KEY: EnvValue.fromSecret('users.jwt', 'signing-key'),
    },
    configFiles: [
      { mountPath: '/etc/web/app.yaml', content: 'a: 1\n' },
      { mountPath: '/etc/web/extra/app.yaml', content: 'b: 2\n' },
    ],
    secretFiles: [{ secretName: 'tls', key: 'tls.crt', mountPath: '/etc/tls/tls.crt' }],
  });
  const resolved = app.resolve();
  const web = service(resolved, 'web');

  test('config references carry the key and the value', () => {
    expect(resolved.config).toEqual({ LOG_LEVEL: 'debug', 'feature.flags': 'a,b' });
    expect(web.env.slice(0, 2)).toEqual([
      { name: 'LOG_LEVEL', source: EnvSource.CONFIG, configKey: 'LOG_LEVEL', value: 'debug' },
      { name: 'FLAGS', source: EnvSource.CONFIG, configKey: 'feature.flags', value: 'a,b' },
    ]);
  });

  test('secret references carry name, key, the Pulumi config key and the compose variable, never a value', () => {
    expect(web.env.slice(2)).toEqual([
      {
        name: 'DB_PASSWORD',
        source: EnvSource.SECRET,
        secret: { name: 'users-db', key: 'password', configKey: 'users-db.password', variable: 'USERS_DB_PASSWORD' },
      },
      {
        name: 'JWT_KEY',
        source: EnvSource.SECRET,
        secret: { name: 'users.jwt', key: 'signing-key', configKey: 'users.jwt.signing-key', variable: 'USERS_JWT_SIGNING_KEY' },
      },
    ]);
    expect(web.env.filter((e) => e.source === EnvSource.SECRET).every((e) => e.value === undefined)).toBe(true);
    expect(web.secretFiles).toEqual([
      { secret: { name: 'tls', key: 'tls.crt', configKey: 'tls.tls.crt', variable: 'TLS_TLS_CRT' }, mountPath: '/etc/tls/tls.crt' },
    ]);
  });

  test('config files get stable ids unique in the service', () => {
    expect(web.configFiles).toEqual([
      { id: 'web-1', fileName: 'app.yaml', mountPath: '/etc/web/app.yaml', content: 'a: 1\n' },
      { id: 'web-2', fileName: 'app.yaml', mountPath: '/etc/web/extra/app.yaml', content: 'b: 2\n' },
    ]);
  });
});

describe('misc', () => {
  test('replicas 0 is valid and kept', () => {
    const app = newApp();
    httpService(app, 'web', { replicas: 0 });
    expect(service(app.resolve(), 'web').replicas).toBe(0);
  });

  test('stopSignal and stopGracePeriodSeconds are kept as given, and unset when not given (each target has its own)', () => {
    const app = newApp();
    httpService(app, 'web', { stopSignal: 'SIGINT', stopGracePeriodSeconds: 45 });
    httpService(app, 'api', { stopGracePeriodSeconds: 0 });
    httpService(app, 'plain');
    const r = app.resolve();
    expect(service(r, 'web')).toMatchObject({ stopSignal: 'SIGINT', stopGracePeriodSeconds: 45 });
    expect(service(r, 'api').stopSignal).toBeUndefined();
    expect(service(r, 'api').stopGracePeriodSeconds).toBe(0);
    expect(service(r, 'plain').stopSignal).toBeUndefined();
    expect(service(r, 'plain').stopGracePeriodSeconds).toBeUndefined();
  });

  test('a gateway without routes resolves to no gateway', () => {
    const app = newApp();
    httpService(app, 'web');
    new Gateway(app, 'gateway');
    expect(app.resolve().gateway).toBeUndefined();
  });

  test('the healthcheck is explicit, else readiness, else liveness', () => {
    const app = newApp();
    httpService(app, 'a', { livenessProbe: Probe.tcp({ periodSeconds: 7 }) });
    httpService(app, 'b', { livenessProbe: Probe.tcp(), readinessProbe: Probe.http('/r') });
    httpService(app, 'c', { readinessProbe: Probe.http('/r'), healthcheck: Probe.command(['check'], { failureThreshold: 9 }) });
    const r = app.resolve();
    expect(service(r, 'a').healthcheck).toMatchObject({ kind: ProbeKind.TCP, port: 8080, periodSeconds: 7 });
    expect(service(r, 'b').healthcheck).toMatchObject({ kind: ProbeKind.HTTP, path: '/r' });
    expect(service(r, 'c').healthcheck).toEqual({
      kind: ProbeKind.COMMAND,
      port: undefined,
      path: undefined,
      command: ['check'],
      initialDelaySeconds: 0,
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 9,
    });
  });

  test('resolve() is repeatable and the result is plain data', () => {
    const app = newApp();
    httpService(app, 'web', { dependsOn: [httpService(app, 'api')] });
    expect(JSON.parse(JSON.stringify(app.resolve()))).toEqual(JSON.parse(JSON.stringify(app.resolve())));
  });

  test('Application.of finds the application of a nested construct', () => {
    const app = newApp();
    const web = httpService(new Construct(new Construct(app, 'a'), 'b'), 'web');
    expect(Application.of(web)).toBe(app);
    expect(() => Application.of(new Construct(undefined as unknown as Construct, 'loose'))).toThrow(
      `construct 'loose' is not inside an Application`,
    );
  });
});

describe('locked applications', () => {
  const { Application: App, Image: Img, Microservice: Svc, Gateway: Gw } = require('../../lib/model');
  test('resolve once when locked, and every call before locking sees changes', () => {
    const app = new App('locked');
    const a = new Svc(app, 'a', { image: Img.fromRegistry('a:1'), ports: [{ port: 80 }] });
    const first = app.resolve();
    new Svc(app, 'b', { image: Img.fromRegistry('b:1'), dependsOn: [a] });
    expect(app.resolve()).not.toBe(first);
    expect(app.resolve().services.map((s: { name: string }) => s.name)).toEqual(['a', 'b']);
    app.node.lock();
    expect(app.resolve()).toBe(app.resolve());
  });

  test('fails to change dependencies, sidecars or routes after locking', () => {
    const app = new App('locked');
    const a = new Svc(app, 'a', { image: Img.fromRegistry('a:1'), ports: [{ port: 80 }] });
    const b = new Svc(app, 'b', { image: Img.fromRegistry('b:1') });
    const g = new Gw(app, 'gateway');
    app.node.lock();
    expect(() => b.addDependency(a)).toThrow("service 'b': 'dependsOn' cannot change after the application is locked for synthesis");
    expect(() => b.addSidecar({ name: 'x', image: Img.fromRegistry('x:1') })).toThrow(
      "'sidecars' cannot change after the application is locked",
    );
    expect(() => g.addRoute('/', a)).toThrow("gateway 'gateway': 'routes' cannot change after the application is locked");
  });
});

test('TCP and UDP on one port number get distinct default names', () => {
  const { Application: App, Image: Img, Microservice: Svc, Protocol: P } = require('../../lib/model');
  const app = new App('dns');
  new Svc(app, 'dns', { image: Img.fromRegistry('coredns:1.11'), ports: [{ port: 53 }, { port: 53, protocol: P.UDP }] });
  expect(app.resolve().services[0].ports.map((p: { name: string }) => p.name)).toEqual(['port-53', 'port-53-udp']);
});
